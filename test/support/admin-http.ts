// The admin pages over plain HTTP, as a browser without JavaScript reads them.
import { expect } from 'vitest';
import type { Stack } from './stack.js';

/** Signs in with the admin key and returns the page's HTML. */
export async function adminPage(stack: Stack, key: string, path: string): Promise<string> {
  const form = await fetch(`${stack.baseUrl}/admin/login`);
  const loginCookie = form.headers.getSetCookie().map((c) => /^paystead_admin_login=([^;]*)/.exec(c)?.[1]).find(Boolean);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  const posted = await fetch(`${stack.baseUrl}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `paystead_admin_login=${loginCookie}` },
    body: new URLSearchParams({ _csrf: csrf!, key }),
  });
  const session = posted.headers.getSetCookie().map((c) => /^paystead_admin=([^;]*)/.exec(c)?.[1]).find(Boolean);
  const page = await fetch(`${stack.baseUrl}${path}`, { headers: { cookie: `paystead_admin=${session}` } });
  expect(page.status).toBe(200);
  return page.text();
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** The text of each cell of each body row of the table with this id. */
export function tableRows(html: string, id: string): string[][] {
  const table = new RegExp(`<table[^>]*id="${id}"[^>]*>([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  const text = (cell: string) => cell.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!).trim();
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => text(cell[1]!)));
}
