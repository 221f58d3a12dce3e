import { sql } from 'kysely';
import type { Db } from './database.js';

/** The cheapest round trip: the database answers at all. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
