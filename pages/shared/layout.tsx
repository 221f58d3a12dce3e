// The page shell shared by the admin and customer pages: document, header, main landmark and one small
// stylesheet (no CDN, no client framework). Everything passed in is rendered by hono/jsx, which escapes it.
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Words } from '../../core/i18n/messages.js';
import { QR_CSS } from './qr-code.js';

/**
 * Readable from 375 px up: one column, tables that stack into label/value rows on narrow screens
 * (`table.stack` with `data-label` on each cell), visible focus everywhere, AA contrast.
 */
const CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","PingFang SC","Microsoft YaHei",sans-serif;line-height:1.5;color:#1b1f24;background:#f6f7f9}
a{color:#0b57c2}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible,[tabindex]:focus-visible{outline:3px solid #1f5fbf;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem}
.site-header{background:#1b2a41;color:#fff;padding:.5rem 1rem}
.site-header .bar{max-width:72rem;margin:0 auto;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.25rem}
.site-header a,.site-header .brand{color:#fff}
.site-header .brand{font-weight:700;text-decoration:none;margin-right:auto}
.site-header nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0;padding:0;align-items:center}
.site-header button{background:transparent;color:#fff;border:1px solid #9fb3d1}
.locale-switch [aria-current]{font-weight:700;text-decoration:underline}
.mode-banner{background:repeating-linear-gradient(135deg,#ffc34d 0 1.5rem,#ffb224 1.5rem 3rem);color:#1f1400;border-bottom:3px solid #8a5a00;padding:.5rem 1rem}
.mode-banner .bar{max-width:72rem;margin:0 auto;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.25rem}
.mode-banner p{margin:0}
.mode-banner button{background:#1b2a41;border-color:#1b2a41;color:#fff;padding:.25rem .75rem}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem;line-height:1.25}
h2{font-size:1.2rem;margin:1.75rem 0 .75rem}
h3{font-size:1.05rem;margin:1rem 0 .5rem}
section.card,.card,dl.facts.card{background:#fff;border:1px solid #d5dae1;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.card>h2:first-child,.card>h3:first-child{margin-top:0}
.muted{color:#4f5b67}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em;word-break:break-all}
.amount{white-space:nowrap;font-variant-numeric:tabular-nums}
table{width:100%;border-collapse:collapse;background:#fff}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{text-align:left;padding:.5rem;border-bottom:1px solid #e2e6eb;vertical-align:top}
th{background:#eef1f5;font-weight:600}
td.num,th.num{text-align:right}
tfoot th,tfoot td{background:#fafbfc}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:1rem;font-size:.85rem;font-weight:600;border:1px solid;white-space:nowrap}
.badge-good{background:#e3f4e8;color:#135c2b;border-color:#7fbf95}
.badge-warn{background:#fff3d6;color:#6b4a00;border-color:#e0b64c}
.badge-bad{background:#fde7e7;color:#8a1c1c;border-color:#e48a8a}
.badge-info{background:#e4eefc;color:#123f80;border-color:#8fb0e3}
.badge-neutral{background:#eceef1;color:#39424c;border-color:#b3bbc5}
.flash{padding:.75rem 1rem;border-radius:.5rem;margin:0 0 1rem;border:1px solid}
.flash:empty{display:none}
.flash-success{background:#e3f4e8;border-color:#7fbf95;color:#135c2b}
.flash-error,.errors{background:#fde7e7;border-color:#e48a8a;color:#7a1515}
.errors{padding:.75rem 1rem;border-radius:.5rem;margin:0 0 1rem;border:1px solid}
.errors h2{margin:0 0 .25rem;font-size:1.05rem}
.errors ul{margin:0;padding-left:1.25rem}
.notice{background:#fff3d6;border:1px solid #e0b64c;color:#4d3500;padding:.75rem 1rem;border-radius:.5rem;margin:0 0 1rem}
form.stacked{display:grid;gap:.75rem;max-width:32rem}
form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.field{display:grid;gap:.2rem}
label{font-weight:600}
.hint{font-size:.875rem;color:#4f5b67;font-weight:400}
.field-error{color:#8a1c1c;font-size:.9rem;font-weight:600}
input,select,textarea{font:inherit;padding:.45rem .55rem;border:1px solid #7c8794;border-radius:.3rem;background:#fff;color:inherit;max-width:100%}
input[aria-invalid=true],textarea[aria-invalid=true],select[aria-invalid=true]{border-color:#b42318;border-width:2px}
input[type=checkbox]{width:1.2rem;height:1.2rem;margin:0}
.check{display:flex;gap:.5rem;align-items:center}
textarea{min-height:5rem;width:100%}
button,.button{font:inherit;padding:.5rem 1rem;border-radius:.35rem;border:1px solid #0b57c2;background:#0b57c2;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:#0b57c2}
button.danger{background:#b42318;border-color:#b42318}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
.grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr))}
.pager{display:flex;gap:1rem;margin:1rem 0}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:40rem){
  main{padding:.75rem}
  table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
  table.stack,table.stack tbody,table.stack tr,table.stack td,table.stack th[scope=row]{display:block;width:100%}
  table.stack tr{border:1px solid #d5dae1;border-radius:.5rem;margin:0 0 .75rem;background:#fff}
  table.stack td,table.stack th[scope=row]{display:grid;grid-template-columns:7.5rem 1fr;gap:.5rem;text-align:left;border-bottom:1px solid #eef1f5}
  table.stack td[data-label]::before,table.stack th[scope=row][data-label]::before{content:attr(data-label);font-weight:600;color:#39424c;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;font-size:1rem;word-break:normal}
  table.stack td>.badge{justify-self:start;align-self:start}
  table.stack td.num{text-align:left}
  dl.facts{grid-template-columns:1fr}
  dl.facts dd{margin-bottom:.35rem}
}
`;

export interface LayoutProps {
  /** The page's own title; shown in the tab as `title · site`. */
  title: string;
  /** The product area, e.g. `Paystead admin`; also the header's brand text. */
  site?: string;
  /** Where the brand links to. */
  home?: string;
  /** Header navigation (links, a sign-out form). */
  nav?: Child;
  /** A full-width strip above the header that no one can miss (test mode's), named by `label`. */
  banner?: { label: string; content: Child };
  /** A CSP nonce for the inline stylesheet (and the caller's own inline scripts). */
  nonce?: string;
  /** What the page's links may tell other sites; the customer page (a bearer link) sends nothing. */
  referrer?: 'same-origin' | 'no-referrer';
  /** The reader's language: `<html lang>` and the shell's own words (English without). */
  words?: Words;
  /** Extra markup at the end of `<body>`, e.g. a small progressive-enhancement script. */
  tail?: Child;
  children?: Child;
}

export function Layout({ title, site = 'Paystead', home = '/', nav, banner, nonce, referrer = 'same-origin', words, tail, children }: LayoutProps) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang={words?.locale ?? 'en'}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content={referrer} />
          <title>{`${title} · ${site}`}</title>
          {/* A constant stylesheet, never user data: raw keeps `>` selectors intact. */}
          <style nonce={nonce}>{raw(CSS + QR_CSS)}</style>
        </head>
        <body>
          <a class="skip" href="#main">
            {words ? words.t('layout.skip') : 'Skip to content'}
          </a>
          {banner && (
            <div class="mode-banner" id="mode-banner" role="region" aria-label={banner.label}>
              <div class="bar">{banner.content}</div>
            </div>
          )}
          <header class="site-header">
            <div class="bar">
              <a class="brand" href={home}>
                {site}
              </a>
              {nav}
            </div>
          </header>
          <main id="main" tabindex={-1}>
            {children}
          </main>
          {tail}
        </body>
      </html>
    </>
  );
}
