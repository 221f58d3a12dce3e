// Pieces every admin page uses: the layout with its navigation, the status and error regions, form fields.
import type { Child } from 'hono/jsx';
import type { Mode } from '../../../core/modes.js';
import type { Words } from '../../../core/i18n/messages.js';
import { TODO_COUNT_CAP } from '../../../services/todo.js';
import { LocaleSwitch } from '../../i18n/locale-switch.js';
import { Layout } from '../../shared/layout.js';
import type { Problem } from '../forms.js';
import type { Flash } from '../session.js';

export interface PageChrome {
  nonce: string;
  /** Present when signed in: the navigation and the sign-out form need the CSRF token. */
  csrfToken?: string;
  merchantName?: string;
  /** Present when signed in: which data the pages show. */
  mode?: PageMode;
  /** The reader's language and the merchant's time zone. */
  words: Words;
  /** The page's own path and query, for the language switch. */
  here: string;
  /** What waits for the merchant (each kind capped), shown on the navigation's to-do link. */
  todoCount?: number;
}

export interface PageMode {
  current: Mode;
  /** Only a session signed in with a live admin key may switch; a test key's is always in test mode. */
  switchable: boolean;
}

/** A form post to the other mode, back to the list the page belongs to (an order is of one mode only). */
function ModeSwitch({ csrfToken, to, back, label }: { csrfToken: string; to: Mode; back: string; label: string }) {
  return (
    <form method="post" action="/admin/mode" class="mode-switch">
      <CsrfField token={csrfToken} />
      <input type="hidden" name="mode" value={to} />
      <input type="hidden" name="next" value={back} />
      <button type="submit">{label}</button>
    </form>
  );
}

/** The strip above every page in test mode, with the way back to live data when the key allows it. */
function testDataBanner(mode: PageMode, csrfToken: string, back: string, w: Words) {
  return {
    label: w.t('admin.test_mode'),
    content: (
      <>
        <p>
          <strong>{w.t('admin.test_data')}</strong> — {w.t('admin.test_banner')}
        </p>
        {mode.switchable ? (
          <ModeSwitch csrfToken={csrfToken} to="live" back={back} label={w.t('admin.to_live')} />
        ) : (
          <p>{w.t('admin.test_key')}</p>
        )}
      </>
    ),
  };
}

export function AdminLayout(props: PageChrome & { title: string; current?: 'todo' | 'orders' | 'settings'; tail?: Child; children?: Child }) {
  const { title, nonce, csrfToken, merchantName, mode, current, tail, children, words, here, todoCount } = props;
  const back = current === 'settings' ? '/admin/settings' : current === 'todo' ? '/admin/todo' : '/admin';
  const nav = csrfToken ? (
    <nav aria-label={words.t('admin.nav')}>
      <ul>
        {merchantName && <li>{merchantName}</li>}
        {mode && (
          <li>
            <span class={`badge mode-badge ${mode.current === 'live' ? 'badge-good' : 'badge-warn'}`} id="mode-badge">
              {words.t(mode.current === 'live' ? 'admin.live_data' : 'admin.test_data')}
            </span>
          </li>
        )}
        {mode?.current === 'live' && mode.switchable && (
          <li>
            <ModeSwitch csrfToken={csrfToken} to="test" back={back} label={words.t('admin.to_test')} />
          </li>
        )}
        <li>
          <a href="/admin/todo" aria-current={current === 'todo' ? 'page' : undefined} id="nav-todo">
            {words.t('admin.todo')}
            {todoCount !== undefined && todoCount > 0 && (
              <>
                {' '}
                <span class="badge badge-warn" id="nav-todo-count">
                  {todoCount >= TODO_COUNT_CAP ? `${TODO_COUNT_CAP - 1}+` : todoCount}
                </span>
              </>
            )}
          </a>
        </li>
        <li>
          <a href="/admin" aria-current={current === 'orders' ? 'page' : undefined}>
            {words.t('admin.orders')}
          </a>
        </li>
        <li>
          <a href="/admin/settings" aria-current={current === 'settings' ? 'page' : undefined}>
            {words.t('admin.settings')}
          </a>
        </li>
        <li>
          <form method="post" action="/admin/logout">
            <CsrfField token={csrfToken} />
            <button type="submit">{words.t('admin.sign_out')}</button>
          </form>
        </li>
      </ul>
    </nav>
  ) : undefined;
  return (
    <Layout
      title={title}
      site={words.t('admin.site')}
      home="/admin"
      nav={
        <>
          {nav}
          <LocaleSwitch words={words} here={here} />
        </>
      }
      words={words}
      banner={csrfToken && mode?.current === 'test' ? testDataBanner(mode, csrfToken, back, words) : undefined}
      nonce={nonce}
      tail={tail}
    >
      {children}
    </Layout>
  );
}

export const CsrfField = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

/** The live region for outcomes: success in `role="status"`, failure in `role="alert"`. */
export function FlashMessage({ flash }: { flash?: Flash }) {
  return (
    <>
      <div role="status" class={flash?.kind === 'success' ? 'flash flash-success' : 'flash'}>
        {flash?.kind === 'success' ? flash.message : ''}
      </div>
      {flash?.kind === 'error' && (
        <div role="alert" class="flash flash-error">
          {flash.message}
        </div>
      )}
    </>
  );
}

/** Lists what is wrong with a form, each linked to its field. */
export function ErrorSummary({ problems, id = 'error-summary', words }: { problems?: Problem[]; id?: string; words: Words }) {
  if (!problems || problems.length === 0) return null;
  return (
    <div class="errors" role="alert" id={id} tabindex={-1}>
      <h2>{words.t('form.problem')}</h2>
      <ul>
        {problems.map((problem) => (
          <li>{problem.field ? <a href={`#${problem.field}`}>{problem.message}</a> : problem.message}</li>
        ))}
      </ul>
    </div>
  );
}

export interface FieldProps {
  id: string;
  name: string;
  label: string;
  value?: string;
  hint?: string;
  error?: string;
  type?: 'text' | 'search' | 'password' | 'email';
  inputmode?: 'decimal' | 'numeric' | 'text';
  required?: boolean;
  multiline?: boolean;
  autocomplete?: string;
  maxlength?: number;
}

/** A labelled input (or textarea) with its hint and error tied to it by `aria-describedby`. */
export function Field(props: FieldProps) {
  const { id, name, label, value, hint, error, type = 'text', inputmode, required, multiline, autocomplete, maxlength } = props;
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const common = { id, name, required, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': described, autocomplete, maxlength };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span class="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
      {multiline ? <textarea {...common}>{value ?? ''}</textarea> : <input {...common} type={type} inputmode={inputmode} value={value ?? ''} />}
    </div>
  );
}

/** The first problem about each field, for inline display next to it. */
export function errorsByField(problems: Problem[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const problem of problems ?? []) if (problem.field && !(problem.field in out)) out[problem.field] = problem.message;
  return out;
}
