// Admin sign-in sessions (by the SHA-256 of their cookie token) and the one-time messages shown after a
// form post. The tokens themselves are never stored; pages/admin/session.ts makes and hashes them.
import { sql, type Selectable } from 'kysely';
import type { Mode } from '../core/modes.js';
import type { AdminFlashTable, AdminSessionTable, Db } from './database.js';

export type Flash = Pick<AdminFlashTable, 'kind' | 'message'>;
export type AdminSession = Omit<Selectable<AdminSessionTable>, 'createdAt'>;

export async function deleteExpiredSessions(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('adminSessions').where('expiresAt', '<=', now).execute();
}

export async function insertSession(db: Db, session: AdminSession): Promise<void> {
  await db.insertInto('adminSessions').values(session).execute();
}

/** The session with this id, unless it has expired. */
export async function findLiveSession(db: Db, id: string, now: Date): Promise<AdminSession | undefined> {
  return db.selectFrom('adminSessions').select(['id', 'merchantId', 'keyHash', 'csrfToken', 'mode', 'expiresAt']).where('id', '=', id).where('expiresAt', '>', now).executeTakeFirst();
}

/** A signed-in session as each page needs it: the merchant's name, and the mode of the key that signed in. */
export interface AllowedSession {
  session: AdminSession;
  merchantName: string;
  /** Only a live key's session may show live data; a test key's session is always in test mode. */
  keyMode: Mode;
}

/**
 * The live session with this id, with its merchant's name, only while the admin key that signed in is
 * unrevoked and, for a live-mode session, the merchant not suspended (suspension stops live keys only): one query.
 */
export async function findAllowedSession(db: Db, id: string, now: Date): Promise<AllowedSession | undefined> {
  const row = await db
    .selectFrom('adminSessions as s')
    .innerJoin('apiKeys as k', (join) => join.onRef('k.keyHash', '=', 's.keyHash').onRef('k.merchantId', '=', 's.merchantId'))
    .innerJoin('merchants as m', 'm.id', 's.merchantId')
    .select(['s.id', 's.merchantId', 's.keyHash', 's.csrfToken', 's.mode', 's.expiresAt', 'm.name', 'k.mode as keyMode'])
    .where('s.id', '=', id)
    .where('s.expiresAt', '>', now)
    .where('k.kind', '=', 'admin')
    .where('k.revokedAt', 'is', null)
    .where((eb) => eb.or([eb('s.mode', '=', 'test'), eb('m.status', '<>', 'suspended')]))
    .executeTakeFirst();
  if (!row) return undefined;
  const { name: merchantName, keyMode, ...session } = row;
  return { session, merchantName, keyMode };
}

/**
 * Switches what a session's pages show. To live only while the key that signed in is a live key (checked
 * in the same statement); false when nothing changed hands.
 */
export async function updateSessionMode(db: Db, id: string, mode: Mode): Promise<boolean> {
  let update = db.updateTable('adminSessions').set({ mode }).where('id', '=', id);
  if (mode === 'live') {
    update = update.where(({ exists, selectFrom }) =>
      exists(selectFrom('apiKeys as k').select('k.id').whereRef('k.keyHash', '=', 'adminSessions.keyHash').whereRef('k.merchantId', '=', 'adminSessions.merchantId').where('k.mode', '=', 'live')),
    );
  }
  const result = await update.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('adminSessions').where('id', '=', id).execute();
}

/**
 * Stores a message for the session's next page, only while the session lasts, and keeps its newest `keep`
 * messages (those nobody came back for are bounded).
 */
export async function insertFlash(db: Db, sessionId: string, id: string, flash: Flash, keep: number): Promise<void> {
  await db
    .insertInto('adminFlashes')
    .columns(['id', 'sessionId', 'kind', 'message'])
    .expression(db.selectFrom('adminSessions').select([sql.val(id).as('id'), 'id as sessionId', sql.val(flash.kind).as('kind'), sql.val(flash.message).as('message')]).where('id', '=', sessionId))
    .execute();
  const newest = db.selectFrom('adminFlashes').select('id').where('sessionId', '=', sessionId).orderBy('createdAt', 'desc').limit(keep);
  await db.deleteFrom('adminFlashes').where('sessionId', '=', sessionId).where('id', 'not in', newest).execute();
}

/** The session's message with this id, removed as it is read. */
export async function takeFlash(db: Db, sessionId: string, id: string): Promise<Flash | undefined> {
  return db.deleteFrom('adminFlashes').where('id', '=', id).where('sessionId', '=', sessionId).returning(['kind', 'message']).executeTakeFirst();
}
