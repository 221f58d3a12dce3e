// Admin sign-in sessions. The cookie carries only a random token; the server keeps, per SHA-256 of that
// token, the merchant, the hash of the admin key that signed in (so revoking the key ends its sessions),
// a CSRF token and an expiry. Nothing secret that the API knows is ever put in the cookie.
//
// Sessions live in this process's memory: a restart signs everyone out, which is acceptable for staff
// pages (they sign in again with their admin key). Several API instances behind one address need sticky
// sessions for `/admin`, or this store replaced by a shared one (same interface).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const MAX_FLASHES = 20;

export interface Flash {
  kind: 'success' | 'error';
  message: string;
}

export interface AdminSession {
  merchantId: string;
  /** `hashApiKey` of the admin key that signed in: checked on every request, so revoking it signs out. */
  keyHash: string;
  /** Sent in every form as a hidden field and compared on every POST. */
  csrfToken: string;
  expiresAt: number;
  /** One-shot messages for the page after a redirect, keyed by a random id carried in the redirect URL. */
  flashes: Map<string, Flash>;
}

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
export function createSessionStore(now: () => number = Date.now) {
  const sessions = new Map<string, AdminSession>();

  function sweep(): void {
    const at = now();
    for (const [key, session] of sessions) if (session.expiresAt <= at) sessions.delete(key);
  }

  return {
    /** A new session and the token for its cookie; the token itself is not kept. */
    create(merchantId: string, keyHash: string): { token: string; session: AdminSession } {
      sweep();
      const token = randomToken();
      const session: AdminSession = { merchantId, keyHash, csrfToken: randomToken(), expiresAt: now() + SESSION_TTL_MS, flashes: new Map() };
      sessions.set(digest(token), session);
      return { token, session };
    },

    /** The live session for a cookie token; an expired one is removed and not returned. */
    get(token: string | undefined): AdminSession | undefined {
      if (!token || token.length > 200) return undefined;
      const key = digest(token);
      const session = sessions.get(key);
      if (!session) return undefined;
      if (session.expiresAt <= now()) {
        sessions.delete(key);
        return undefined;
      }
      return session;
    },

    destroy(token: string | undefined): void {
      if (token) sessions.delete(digest(token));
    },

    /** Stores a message for the next page; returns the id to put in the redirect URL. */
    addFlash(session: AdminSession, flash: Flash): string {
      const id = randomBytes(9).toString('base64url');
      session.flashes.set(id, flash);
      for (const oldest of session.flashes.keys()) {
        if (session.flashes.size <= MAX_FLASHES) break;
        session.flashes.delete(oldest);
      }
      return id;
    },

    /** The message for this id, once. */
    takeFlash(session: AdminSession, id: string | undefined): Flash | undefined {
      if (!id) return undefined;
      const flash = session.flashes.get(id);
      session.flashes.delete(id);
      return flash;
    },
  };
}
