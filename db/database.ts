import { CamelCasePlugin, Kysely, PostgresDialect, type ColumnType, type Generated } from 'kysely';
import pg from 'pg';

/**
 * Money and other bigint columns arrive from pg as strings. Amounts are integer minor units and fit well
 * inside 2^53, so they are parsed to `number` once, here, and refused if they ever do not fit.
 */
function parseInt8(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new Error(`int8 value ${value} exceeds the safe integer range`);
  return parsed;
}

const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

export interface MerchantTable {
  id: string;
  name: string;
  contactEmail: string;
  contactPhone: string | null;
  businessLicenceNo: string;
  taxRegistrationNo: string;
  status: 'pending_verification' | 'active' | 'suspended';
  createdAt: CreatedAt;
  verifiedAt: Date | null;
}

export interface ApiKeyTable {
  id: string;
  merchantId: string;
  kind: 'secret' | 'admin';
  keyHash: string;
  prefix: string;
  createdAt: CreatedAt;
  revokedAt: Date | null;
}

export interface MerchantSettingsTable {
  merchantId: string;
  currency: string;
  shippingFee: number;
  taxRateBps: number;
  paymentWindowSeconds: number;
  paymentCheckIntervalSeconds: number;
  autoConfirm: boolean;
  refundWindowSeconds: number;
  refundApprovalThreshold: number;
  updatedAt: UpdatedAt;
}

export interface ProductTable {
  merchantId: string;
  sku: string;
  name: string;
  unitAmount: number;
  currency: string;
  active: Generated<boolean>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface SystemCheckTable {
  id: string;
  requestedBy: string;
  checkedAt: CreatedAt;
}

export interface Database {
  merchants: MerchantTable;
  apiKeys: ApiKeyTable;
  merchantSettings: MerchantSettingsTable;
  products: ProductTable;
  systemChecks: SystemCheckTable;
}

export type Db = Kysely<Database>;

export function createDb(url: string, poolSize = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // An idle client losing its server (restart, failover) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
}
