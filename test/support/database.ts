import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { createDb, type Db } from '../../db/database.js';

/** Migrated once per run by the global setup; each test file clones it. */
export const TEMPLATE_DATABASE = 'paystead_template';

export interface TestDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

/** A fresh, migrated database of this test file's own, so files run in parallel without seeing each other. */
export function createTestDatabase(): Promise<TestDatabase> {
  return newDatabase(TEMPLATE_DATABASE);
}

/** A fresh database with no tables at all, for tests that migrate it themselves. */
export function createEmptyTestDatabase(): Promise<TestDatabase> {
  return newDatabase('template0');
}

async function newDatabase(template: string): Promise<TestDatabase> {
  const prefix = inject('postgresUrlPrefix');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = createDb(`${prefix}postgres`, 1);
  await sql`create database ${sql.id(name)} template ${sql.id(template)}`.execute(admin);
  const url = `${prefix}${name}`;
  const db = createDb(url, 5);
  return {
    url,
    db,
    async drop() {
      await db.destroy();
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
      await admin.destroy();
    },
  };
}
