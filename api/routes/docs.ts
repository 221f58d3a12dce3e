import { html, raw } from 'hono/html';
import type { AppOpenAPI } from '../context.js';
import { documentInputPolicy } from '../input-policy.js';

const DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Paystead API',
    version: '0.1.0',
    description:
      'Checkout, orders, refunds and gateway notifications for independent stores. Amounts are integers in minor units. ' +
      'Every key has a mode, shown in its prefix: test keys (`sk_test_`, `ak_test_`) see and make only test orders, where no money moves ' +
      '(the built-in sandbox, or a gateway’s own sandbox environment with test credentials); live keys (`sk_live_`, `ak_live_`), ' +
      'issued when the merchant is verified, only live orders, through real gateways. An object of the other mode is a 404; ' +
      'the sandbox gateway in live mode is a 422 `gateway_not_available_in_live_mode`.',
  },
};

type Operation = { summary?: string; tags?: string[]; description?: string };

/**
 * `/openapi.json` is generated from the same zod schemas that validate requests; `/docs` renders it as a
 * self-contained page (no CDN assets: the service may run without internet access).
 */
export function registerDocsRoutes(app: AppOpenAPI) {
  // Registered last: every route is in the registry by now.
  documentInputPolicy(app);
  app.doc31('/openapi.json', DOCUMENT);

  app.get('/docs', (c) => {
    const spec = app.getOpenAPI31Document(DOCUMENT);
    const rows = Object.entries(spec.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, Operation>).map(
        ([method, op]) => html`<tr><td><code>${method.toUpperCase()}</code></td><td><code>${path}</code></td><td>${op.summary ?? ''}</td><td>${(op.tags ?? []).join(', ')}</td></tr>`,
      ),
    );
    return c.html(html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Paystead API</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}</style>
</head><body>
<h1>${DOCUMENT.info.title}</h1><p>${DOCUMENT.info.description}</p>
<p>Machine-readable document: <a href="/openapi.json">/openapi.json</a>.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>Summary</th><th>Tag</th></tr></thead><tbody>${raw(rows.join(''))}</tbody></table>
</body></html>`);
  });
}
