import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The probe files exist only in memory, so the type-aware parser is told to accept them.
const eslint = new ESLint({
  overrideConfig: {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['workflows/lint-probe.ts', 'activities/lint-probe.ts', 'pages/admin/lint-probe.ts', 'api/routes/lint-probe.ts', 'services/lint-probe.ts'],
        },
      },
    },
  },
});

async function ruleIds(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath });
  const messages = result?.messages ?? [];
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(`lint could not parse the probe: ${fatal.message}`);
  return messages.map((message) => message.ruleId);
}

// The determinism rules for workflow code are enforced by lint; this proves the rules bite.
describe('workflow lint rules', () => {
  it('forbids Node built-ins and floating promises in workflows/', async () => {
    const code = [
      "import { readFileSync } from 'node:fs';",
      "import { sleep } from '@temporalio/workflow';",
      'export async function bad(): Promise<void> {',
      "  readFileSync('x');",
      "  sleep('1 second');",
      '}',
    ].join('\n');
    const ids = await ruleIds(code, 'workflows/lint-probe.ts');
    expect(ids).toContain('no-restricted-imports');
    expect(ids).toContain('@typescript-eslint/no-floating-promises');
  });

  it('allows Node built-ins outside workflows/', async () => {
    const code = "import { readFileSync } from 'node:fs';\nexport const read = () => readFileSync('x');\n";
    expect(await ruleIds(code, 'activities/lint-probe.ts')).not.toContain('no-restricted-imports');
  });
});

// The API and the pages are two faces over the services: neither imports the other, and the services
// import neither.
describe('layer lint rules', () => {
  const restricted = async (code: string, filePath: string) => (await ruleIds(code, filePath)).includes('no-restricted-imports');

  it('keeps pages off the JSON API', async () => {
    expect(await restricted("export type { OrderSchema } from '../../api/order-schemas.js';\n", 'pages/admin/lint-probe.ts')).toBe(true);
    expect(await restricted("export { listOrders } from '../../services/order-list.js';\n", 'pages/admin/lint-probe.ts')).toBe(false);
  });

  it('keeps the JSON API off the pages', async () => {
    expect(await restricted("export { createPages } from '../../pages/index.js';\n", 'api/routes/lint-probe.ts')).toBe(true);
    expect(await restricted("export { listOrders } from '../../services/order-list.js';\n", 'api/routes/lint-probe.ts')).toBe(false);
  });

  it('keeps services off both faces', async () => {
    expect(await restricted("export { requireKey } from '../api/auth.js';\n", 'services/lint-probe.ts')).toBe(true);
    expect(await restricted("export { createPages } from '../pages/index.js';\n", 'services/lint-probe.ts')).toBe(true);
    expect(await restricted("export { getSettings } from '../db/merchants.js';\n", 'services/lint-probe.ts')).toBe(false);
  });
});
