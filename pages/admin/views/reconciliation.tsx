// The reconciliation page: the days reconciled per gateway (counts, totals, fees, open differences, CSV),
// a day reconciled again, the differences waiting for a person (with the statement line and our books,
// resolved with a note), and the notifications no order took.
import type { Words } from '../../../core/i18n/messages.js';
import { GATEWAY_PROFILES, GATEWAYS, type GatewayName } from '../../../domain/gateways.js';
import type { DiscrepancyView, RunView } from '../../../services/reconciliation.js';
import type { Flash } from '../session.js';
import { Time } from '../../shared/ui.js';
import { AdminLayout, CsrfField, FlashMessage, type PageChrome } from './common.js';

export interface UnmatchedNotification {
  id: string;
  gateway: GatewayName;
  kind: 'payment' | 'refund' | null;
  paymentId: string | null;
  refundId: string | null;
  orderId: string | null;
  receivedAt: string;
}

const orderLink = (orderId: string | null) => (orderId ? <a href={`/admin/orders/${encodeURIComponent(orderId)}`}>{orderId}</a> : '—');

function RunRow({ run, words: w }: { run: RunView; words: Words }) {
  const differences = Object.entries(run.counts).reduce((sum, [outcome, n]) => (outcome === 'matched' ? sum : sum + n), 0);
  const totals = Object.entries(run.totals);
  return (
    <tr id={`run-${run.gateway}-${run.date}`}>
      <td>{run.date}</td>
      <td>{GATEWAY_PROFILES[run.gateway].label}</td>
      <td>
        {w.t(`admin.reconciliation.run.${run.status}`)}
        {run.error && <span class="hint"> {run.error}</span>}
      </td>
      <td>{run.counts.matched ?? 0}</td>
      <td>{differences}</td>
      <td>{totals.map(([currency, t]) => <div>{`${t.payments.count} · ${w.money(t.payments.amount, currency)}`}</div>)}</td>
      <td>{totals.map(([currency, t]) => <div>{`${t.refunds.count} · ${w.money(t.refunds.amount, currency)}`}</div>)}</td>
      <td>{totals.map(([currency, t]) => <div>{w.money(t.fees, currency)}</div>)}</td>
      <td>{run.openDiscrepancies > 0 ? <span class="badge badge-warn">{run.openDiscrepancies}</span> : '0'}</td>
      <td>{run.status === 'completed' && <a href={`/admin/reconciliation/runs/${encodeURIComponent(run.id)}/lines.csv`}>{w.t('admin.reconciliation.csv')}</a>}</td>
    </tr>
  );
}

function Discrepancy({ item, csrfToken, words: w }: { item: DiscrepancyView; csrfToken: string; words: Words }) {
  const line = item.line as { raw?: string; amount?: number; currency?: string } | null;
  const entry = item.entry as { status?: string; amount?: number; currency?: string } | null;
  return (
    <section class="card" id={`discrepancy-${item.id}`} aria-label={`${item.date} ${item.gateway} ${item.ourId ?? ''}`}>
      <p>
        <strong>{w.t(`admin.reconciliation.outcome.${item.outcome}`)}</strong> · {w.t(`admin.reconciliation.kind.${item.kind}`)} <span class="mono">{item.ourId ?? item.paymentId ?? ''}</span> · {item.date} ·{' '}
        {GATEWAY_PROFILES[item.gateway].label} · {orderLink(item.orderId)}
      </p>
      <dl>
        <dt>{w.t('admin.reconciliation.statement_line')}</dt>
        <dd class="mono">{line?.raw ?? '—'}</dd>
        <dt>{w.t('admin.reconciliation.our_books')}</dt>
        <dd>{entry && entry.amount !== undefined && entry.currency ? `${entry.status ?? ''} · ${w.money(entry.amount, entry.currency)}` : '—'}</dd>
      </dl>
      <form method="post" action={`/admin/reconciliation/discrepancies/${encodeURIComponent(item.id)}/resolve`}>
        <CsrfField token={csrfToken} />
        <label for={`note-${item.id}`}>{w.t('admin.reconciliation.note')}</label>
        <input id={`note-${item.id}`} name="note" required maxlength={2000} />
        <button type="submit">{w.t('admin.reconciliation.resolve')}</button>
      </form>
    </section>
  );
}

export function ReconciliationPage(props: PageChrome & { runs: RunView[]; discrepancies: DiscrepancyView[]; unmatched: UnmatchedNotification[]; gateways: GatewayName[]; flash?: Flash }) {
  const { words: w, csrfToken = '', runs, discrepancies, unmatched, flash } = props;
  return (
    <AdminLayout {...props} title={w.t('admin.reconciliation.title')} current="reconciliation">
      <h1>{w.t('admin.reconciliation.title')}</h1>
      <FlashMessage flash={flash} />
      <p class="hint">{w.t('admin.reconciliation.intro')}</p>

      <section class="card" aria-labelledby="discrepancies-heading" id="discrepancies">
        <h2 id="discrepancies-heading">{w.t('admin.reconciliation.discrepancies')}</h2>
        {discrepancies.length === 0 ? <p id="no-discrepancies">{w.t('admin.reconciliation.no_discrepancies')}</p> : discrepancies.map((item) => <Discrepancy item={item} csrfToken={csrfToken} words={w} />)}
      </section>

      <section class="card" aria-labelledby="runs-heading" id="runs">
        <h2 id="runs-heading">{w.t('admin.reconciliation.runs')}</h2>
        {runs.length === 0 ? (
          <p>{w.t('admin.reconciliation.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                {(['date', 'gateway', 'status', 'matched', 'differences', 'payments', 'refunds', 'fees', 'open', 'csv'] as const).map((key) => (
                  <th scope="col">{w.t(`admin.reconciliation.${key}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <RunRow run={run} words={w} />
              ))}
            </tbody>
          </table>
        )}
        <form method="post" action="/admin/reconciliation/rerun" class="inline" aria-label={w.t('admin.reconciliation.rerun')}>
          <CsrfField token={csrfToken} />
          <label for="rerun-gateway">{w.t('admin.reconciliation.gateway')}</label>
          <select id="rerun-gateway" name="gateway">
            {GATEWAYS.filter((g) => props.gateways.includes(g)).map((g) => (
              <option value={g}>{GATEWAY_PROFILES[g].label}</option>
            ))}
          </select>
          <label for="rerun-date">{w.t('admin.reconciliation.date')}</label>
          <input id="rerun-date" name="date" type="date" required />
          <button type="submit">{w.t('admin.reconciliation.rerun_button')}</button>
        </form>
      </section>

      <section class="card" aria-labelledby="unmatched-heading" id="unmatched">
        <h2 id="unmatched-heading">{w.t('admin.reconciliation.unmatched')}</h2>
        <p class="hint">{w.t('admin.reconciliation.unmatched_hint')}</p>
        {unmatched.length === 0 ? (
          <p>{w.t('admin.reconciliation.no_unmatched')}</p>
        ) : (
          <ul>
            {unmatched.map((n) => (
              <li>
                <Time value={n.receivedAt} words={w} /> · {GATEWAY_PROFILES[n.gateway].label} · {n.kind ? w.t(`admin.reconciliation.kind.${n.kind}`) : ''} <span class="mono">{n.refundId ?? n.paymentId ?? n.id}</span> · {orderLink(n.orderId)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </AdminLayout>
  );
}
