import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The determinism rules for workflow code and the direction of imports between layers are enforced by
// lint; this proves the rules bite.
const PROBES = ['workflows', 'activities', 'core', 'domain', 'db', 'gateways/sandbox', 'services', 'api/routes', 'pages/admin'].map((folder) => `${folder}/lint-probe.ts`);

// The probe files exist only in memory, so the type-aware parser is told to accept them.
const eslint = new ESLint({
  overrideConfig: { languageOptions: { parserOptions: { projectService: { allowDefaultProject: PROBES, maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: PROBES.length } } } },
});

async function ruleIds(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath });
  const messages = result?.messages ?? [];
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(`lint could not parse the probe: ${fatal.message}`);
  return messages.map((message) => message.ruleId);
}

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

describe('layer lint rules', () => {
  it.each([
    ['core/lint-probe.ts', "import { ORDER_STATUSES } from '../domain/order.js';"],
    ['domain/lint-probe.ts', "import { createDb } from '../db/database.js';"],
    ['db/lint-probe.ts', "import { GatewayError } from '../gateways/types.js';"],
    ['gateways/sandbox/lint-probe.ts', "import { createActivities } from '../../activities/index.js';"],
    ['activities/lint-probe.ts', "import { createApp } from '../api/app.js';"],
    ['activities/lint-probe.ts', "import { orderWorkflow } from '../workflows/order.js';"],
    ['pages/admin/lint-probe.ts', "import type { OrderSchema } from '../../api/order-schemas.js';"],
    ['api/routes/lint-probe.ts', "import { createPages } from '../../pages/index.js';"],
    ['services/lint-probe.ts', "import { requireKey } from '../api/auth.js';"],
    ['services/lint-probe.ts', "import { createPages } from '../pages/index.js';"],
  ])('forbids in %s: %s', async (filePath, importLine) => {
    expect(await ruleIds(`${importLine}\nexport const probe = 1;\n`, filePath)).toContain('no-restricted-imports');
  });

  it.each([
    ['domain/lint-probe.ts', "import { mulberry32 } from '../core/seeded-random.js';"],
    ['gateways/sandbox/lint-probe.ts', "import { getMerchant } from '../../db/merchants.js';"],
    ['activities/lint-probe.ts', "import type { PaymentSignal } from '../workflows/messages.js';"],
    ['pages/admin/lint-probe.ts', "import { listOrders } from '../../services/order-list.js';"],
    ['api/routes/lint-probe.ts', "import { listOrders } from '../../services/order-list.js';"],
    ['services/lint-probe.ts', "import { getSettings } from '../db/merchants.js';"],
  ])('allows in %s: %s', async (filePath, importLine) => {
    expect(await ruleIds(`${importLine}\nexport const probe = 1;\n`, filePath)).not.toContain('no-restricted-imports');
  });
});
