// stripe-mock, Stripe's own mock API server: it checks every request against Stripe's OpenAPI spec (an
// unknown or malformed parameter is a 400) and answers with fixtures. The Stripe contract test points the
// adapter at it. Built from its Go module like the Temporal CLI (see temporal-cli.ts), pinned so the spec
// it checks against changes only when we move the pin.
import { startProcess, type ManagedProcess } from './child-process.js';
import { findOrGoInstall } from './go-tool.js';

const STRIPE_MOCK_MODULE = 'github.com/stripe/stripe-mock@v0.203.0';

/** Finds stripe-mock ($STRIPE_MOCK_PATH, PATH, the cached build), else builds it into the cache (~45 s cold). */
export function findOrBuildStripeMock(log: (line: string) => void = console.log): Promise<string> {
  return findOrGoInstall({ binary: 'stripe-mock', envVar: 'STRIPE_MOCK_PATH', module: STRIPE_MOCK_MODULE, label: 'stripe-mock' }, log);
}

export interface StripeMock {
  url: string;
  stop(): Promise<void>;
}

/** Starts stripe-mock on loopback ports it picks itself, and reads the HTTP one from its log. */
export async function startStripeMock(binary: string): Promise<StripeMock> {
  const lines: string[] = [];
  let proc: ManagedProcess | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      void proc?.stop();
      reject(new Error(`stripe-mock did not start within 30 s:\n${lines.join('\n')}`));
    }, 30_000);
    // Naming only the HTTP address would leave HTTPS on its default port 12112: both go on free ones.
    proc = startProcess(binary, ['-http-addr', '127.0.0.1:', '-https-addr', '127.0.0.1:'], {
      onOutput: (line) => {
        lines.push(line);
        const match = /Listening for HTTP at address: (\S+)/.exec(line);
        if (!match) return;
        clearTimeout(timer);
        resolve(`http://${match[1]}`);
      },
    });
    void proc.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`stripe-mock exited (${String(code)}):\n${lines.join('\n')}`));
    });
  });
  return { url, stop: () => proc!.stop() };
}
