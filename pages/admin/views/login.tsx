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
  here: string;
}

export function LoginPage({ nonce, formToken, next, error, notice, words: w, here }: LoginPageProps) {
  return (
    <AdminLayout title={w.t('admin.login.title')} nonce={nonce} words={w} here={here}>
      <h1>{w.t('admin.login.heading')}</h1>
      <div role="status" class={notice ? 'flash flash-success' : 'flash'}>
        {notice ?? ''}
      </div>
      {error && (
        <div class="errors" role="alert" id="error-summary">
          <h2>{w.t('admin.login.failed')}</h2>
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
            label={w.t('admin.login.key')}
            hint={w.t('admin.login.key_hint')}
            error={error}
            autocomplete="current-password"
            required
            maxlength={200}
          />
          <div>
            <button type="submit">{w.t('admin.login.submit')}</button>
          </div>
        </form>
      </section>
    </AdminLayout>
  );
}
