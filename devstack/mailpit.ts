// Mailpit, a mail server that keeps what it receives and shows it in a web inbox with an HTTP API: the SMTP
// server of `npm run dev` and of the tests. Built from its Go module like the Temporal CLI (see
// temporal-cli.ts), pinned.
import { connect } from 'node:net';
import { startProcess, waitFor } from './child-process.js';
import { findOrGoInstall } from './go-tool.js';
import { freePort } from './ports.js';

const MAILPIT_MODULE = 'github.com/axllent/mailpit@v1.33.1';

/** Finds Mailpit ($MAILPIT_PATH, PATH, the cached build), else builds it into the cache. */
export function findOrBuildMailpit(log: (line: string) => void = console.log): Promise<string> {
  return findOrGoInstall({ binary: 'mailpit', envVar: 'MAILPIT_PATH', module: MAILPIT_MODULE, label: 'Mailpit' }, log);
}

export interface Mailpit {
  /** `smtp://127.0.0.1:PORT`, for SMTP_URL. */
  smtpUrl: string;
  /** The web inbox; its API is under `/api/v1`. */
  webUrl: string;
  stop(): Promise<void>;
}

function accepts(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

export interface MailpitOptions {
  smtp?: number;
  http?: number;
  /** SQLite file that keeps the messages across restarts; without it they live only as long as the process. */
  database?: string;
  /** More of Mailpit's flags (a test's `--smtp-allowed-recipients` makes it refuse others). */
  extraArgs?: string[];
}

/** Starts Mailpit on loopback, on the ports given or free ones. */
export async function startMailpit(binary: string, options: MailpitOptions = {}): Promise<Mailpit> {
  const smtpPort = options.smtp ?? (await freePort());
  const httpPort = options.http ?? (await freePort());
  const lines: string[] = [];
  const args = ['--smtp', `127.0.0.1:${smtpPort}`, '--listen', `127.0.0.1:${httpPort}`, '--max', '0', '--quiet'];
  if (options.database) args.push('--database', options.database);
  args.push(...(options.extraArgs ?? []));
  const proc = startProcess(binary, args, { onOutput: (line) => lines.push(line) });
  const webUrl = `http://127.0.0.1:${httpPort}`;
  let exited = false;
  void proc.exited.then(() => (exited = true));
  try {
    await waitFor('Mailpit', async () => {
      if (exited) throw new Error(`Mailpit exited:\n${lines.join('\n')}`);
      const ready = await fetch(`${webUrl}/readyz`);
      if (!ready.ok) throw new Error(`readyz answered ${ready.status}`);
      await accepts(smtpPort);
    }, 30_000);
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, webUrl, stop: () => proc.stop() };
}
