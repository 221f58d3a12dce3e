import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Amounts are integer minor units; what a minor unit is comes from the currency's exponent, which is not
// stored beside them. Until now these currencies were counted in hundredths, although ISO 4217 gives them
// no decimals (or three, or four); from now on they are counted as ISO 4217 says. Amounts already stored
// in them would silently change value, and running orders hold them too, so the upgrade stops instead of
// guessing, and changes nothing.
const RECOUNTED = ['BIF', 'CLF', 'DJF', 'GNF', 'IQD', 'KMF', 'LYD', 'PYG', 'RWF', 'UYI', 'UYW', 'VUV', 'XAF', 'XOF', 'XPF'];

export async function up(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ currency: string }>`
    select currency from merchant_settings where currency = any(${RECOUNTED})
    union select currency from products where currency = any(${RECOUNTED})
    union select currency from orders where currency = any(${RECOUNTED})`.execute(db);
  if (rows.length === 0) return;
  const currencies = rows.map((row) => row.currency.trim()).sort().join(', ');
  throw new Error(
    `amounts in ${currencies} are stored in hundredths, but this version counts these currencies in ISO 4217 minor units. ` +
      'Close or finish their open orders, rescale their amounts in merchant_settings, products, orders, payments and refunds, then start again.',
  );
}

export async function down(): Promise<void> {
  // Nothing was changed.
}
