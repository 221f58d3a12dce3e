import type { Words } from '../../../core/i18n/messages.js';
import { AdminLayout, CsrfField, Field } from './common.js';

export interface LoginPageProps {
  nonce: string;
  /** The double-submit token of the sign-in form (also in a cookie; there is no session yet). */
  formToken: string;
  next?: string;
  error?: string;
  notice?: string;
  words: Words;
  path: string;
}

export function LoginPage({ nonce, formToken, next, error, notice, words, path }: LoginPageProps) {
  return (
    <AdminLayout title="Sign in" nonce={nonce} words={words} path={path}>
      <h1>Sign in to your store's admin</h1>
      <div role="status" class={notice ? 'flash flash-success' : 'flash'}>
        {notice ?? ''}
      </div>
      {error && (
        <div class="errors" role="alert" id="error-summary">
          <h2>Could not sign in</h2>
          <p>
            <a href="#admin-key">{error}</a>
          </p>
        </div>
      )}
      <section class="card">
        <form method="post" action="/admin/login" class="stacked">
          <CsrfField token={formToken} />
          {next && <input type="hidden" name="next" value={next} />}
          <Field
            id="admin-key"
            name="key"
            type="password"
            label="Admin key"
            hint="The admin key (ak_…) you were given when your merchant account was created. It is not stored in your browser."
            error={error}
            autocomplete="current-password"
            required
            maxlength={200}
          />
          <div>
            <button type="submit">Sign in</button>
          </div>
        </form>
      </section>
    </AdminLayout>
  );
}
