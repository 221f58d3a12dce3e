// The test/live switch in the admin header: `POST /admin/mode` with `mode` (and the page to go back to).
// Every page then lists, and acts on, only that mode's data: the services take the session as their scope.
import type { Hono } from 'hono';
import { ApiError } from '../../core/errors.js';
import { MODES, type Mode } from '../../core/modes.js';
import { safeNext } from './auth-routes.js';
import { pageWords, redirectWithFlash, sessionOf, type AdminEnv, type AdminPagesDeps } from './context.js';
import { field } from './forms.js';

const isMode = (value: string): value is Mode => (MODES as readonly string[]).includes(value);


export function registerModeSwitch(admin: Hono<AdminEnv>, deps: AdminPagesDeps): void {
  admin.post('/mode', async (c) => {
    const body = await c.req.parseBody();
    const mode = field(body, 'mode');
    if (!isMode(mode)) throw new ApiError(400, 'invalid_mode', 'Choose test or live data.');
    // A test key's session stays in test mode, whatever the form says.
    if (!(await deps.sessions.setMode(sessionOf(c), mode))) {
      throw new ApiError(403, 'live_mode_not_allowed', 'You signed in with a test admin key, which shows only test data. Sign in with a live admin key (issued when the merchant is verified) to see live data.');
    }
    return redirectWithFlash(c, deps, safeNext(field(body, 'next')) ?? '/admin', { kind: 'success', message: pageWords(c).t(`admin.mode.${mode}`) });
  });
}
