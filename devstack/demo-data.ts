import type { Mode } from '../core/modes.js';
import type { Db } from '../db/database.js';
import { createMerchant, verifyMerchant } from '../db/merchants.js';
import { insertProduct } from '../db/products.js';

const DEMO_EMAIL = 'demo@paystead.test';

const DEMO_PRODUCTS = [
  { sku: 'TEA-001', name: 'Longjing green tea, 250 g', unitAmount: 12_800 },
  { sku: 'CUP-002', name: 'Celadon tea cup', unitAmount: 4_500 },
  { sku: 'POT-003', name: 'Yixing clay teapot', unitAmount: 36_000 },
];

export interface DemoKeys {
  secretKey: string;
  adminKey: string;
}

/**
 * A verified demo merchant with a few products, and its keys of both modes: test keys (created with the
 * merchant) and, being verified, live keys. The keys exist only in this return value, so they are printed
 * once, on the start that created them; later starts find the merchant and return no keys.
 */
export async function ensureDemoMerchant(db: Db): Promise<{ merchantId: string; keys?: Record<Mode, DemoKeys> }> {
  const existing = await db.selectFrom('merchants').select('id').where('contactEmail', '=', DEMO_EMAIL).executeTakeFirst();
  if (existing) return { merchantId: existing.id };
  const { merchant, secretKey, adminKey } = await createMerchant(
    db,
    {
      name: 'Demo Tea House',
      contactEmail: DEMO_EMAIL,
      contactPhone: '+86 571 0000 0000',
      businessLicenceNo: '91330100MA2DEMO001',
      taxRegistrationNo: '91330100MA2DEMO001',
    },
    { currency: 'CNY', shippingFee: 1_000, taxRateBps: 600, autoConfirm: false },
  );
  // Verification issues the live keys, once.
  const live = (await verifyMerchant(db, merchant.id))!.liveKeys!;
  for (const product of DEMO_PRODUCTS) {
    await insertProduct(db, { merchantId: merchant.id, currency: 'CNY', active: true, ...product });
  }
  return { merchantId: merchant.id, keys: { test: { secretKey, adminKey }, live } };
}

/** The summary lines about the demo merchant's keys, as `npm run dev` and `npm run cluster` print them. */
export function printDemoKeys(demo: { keys?: Record<Mode, DemoKeys> }, log: (line: string) => void): void {
  if (!demo.keys) {
    log('  Demo keys were printed on the first start (only their hashes are stored).');
    return;
  }
  log("  Test mode (the sandbox and gateways' test environments; no money moves):");
  log(`    Demo secret key (storefront server): ${demo.keys.test.secretKey}`);
  log(`    Demo admin key  (merchant staff):    ${demo.keys.test.adminKey}`);
  log("  Live mode (real gateways only, with the merchant's live credentials):");
  log(`    Demo secret key (storefront server): ${demo.keys.live.secretKey}`);
  log(`    Demo admin key  (merchant staff):    ${demo.keys.live.adminKey}`);
  log('  These keys are shown once; only their hashes are stored.');
}
