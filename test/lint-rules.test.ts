import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The determinism rules for workflow code are enforced by lint; this proves the rules bite.
describe('workflow lint rules', () => {
  // The probe files exist only in memory, so the type-aware parser is told to accept them.
  const eslint = new ESLint({
    overrideConfig: {
      languageOptions: {
        parserOptions: { projectService: { allowDefaultProject: ['workflows/lint-probe.ts', 'activities/lint-probe.ts'] } },
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
