// Admin sign-in sessions. The cookie carries only a random token; Postgres keeps, per SHA-256 of that
// token, the merchant, the hash of the admin key that signed in (so revoking the key ends its sessions),
// a CSRF token and an expiry. Nothing secret that the API knows is ever put in the cookie. Kept in the
// database, sessions survive an API restart and serve every API instance behind one address.
import type { Mode } from '../../core/modes.js';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { deleteExpiredSessions, deleteSession, findAllowedSession, findLiveSession, insertFlash, insertSession, takeFlash, updateSessionMode, type AdminSession, type AllowedSession, type Flash } from '../../db/admin-sessions.js';
import type { Db } from '../../db/database.js';

export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const MAX_FLASHES = 20;

export type { AdminSession, Flash };

export const randomToken = () => randomBytes(32).toString('base64url');
const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** Constant-time comparison of two tokens (strings of any length). */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  // Hashing first gives equal lengths, which timingSafeEqual needs, without leaking the lengths.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export type SessionStore = ReturnType<typeof createSessionStore>;

/** One store per app (no module-level state); `now` is injectable for tests. */
export function createSessionStore(db: Db, now: () => number = Date.now) {
  return {
    /** A new session and the token for its cookie; the token itself is not kept. */
    async create(merchantId: string, keyHash: string, mode: Mode): Promise<{ token: string; session: AdminSession }> {
      // Expired sessions are cleared whenever someone signs in: no timer to run.
      await deleteExpiredSessions(db, new Date(now()));
      const token = randomToken();
      const session: AdminSession = { id: digest(token), merchantId, keyHash, csrfToken: randomToken(), mode, expiresAt: new Date(now() + SESSION_TTL_MS) };
      await insertSession(db, session);
      return { token, session };
    },

    /** The live session for a cookie token. */
    async get(token: string | undefined): Promise<AdminSession | undefined> {
      if (!token || token.length > 200) return undefined;
      return findLiveSession(db, digest(token), new Date(now()));
    },

    /**
     * The live session for a cookie token, with its merchant's name, only while the admin key that signed
     * in is unrevoked and the merchant not suspended: one query per page.
     */
    async getAllowed(token: string | undefined): Promise<AllowedSession | undefined> {
      if (!token || token.length > 200) return undefined;
      return findAllowedSession(db, digest(token), new Date(now()));
    },

    /** Switches the session between live and test data; false when its key may not show live data. */
    setMode(session: AdminSession, mode: Mode): Promise<boolean> {
      return updateSessionMode(db, session.id, mode);
    },

    async destroy(token: string | undefined): Promise<void> {
      if (token) await deleteSession(db, digest(token));
    },

    /** Stores a message for the next page; returns the id to put in the redirect URL. */
    async addFlash(session: AdminSession, flash: Flash): Promise<string> {
      const id = randomBytes(9).toString('base64url');
      // Only while the session lasts (signed out in another tab, it is gone): the action it reports is done
      // either way, and must not turn into an error page.
      await insertFlash(db, session.id, id, flash, MAX_FLASHES);
      return id;
    },

    /** The message for this id, once. */
    async takeFlash(session: AdminSession, id: string | undefined): Promise<Flash | undefined> {
      if (!id) return undefined;
      return takeFlash(db, session.id, id);
    },
  };
}
