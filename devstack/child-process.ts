import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface ManagedProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal) once the process has gone. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  /** Sends `signal`, then SIGKILL after `graceMs` if the process is still there. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Children must never outlive the process that started them, even when it exits abruptly. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export function startProcess(
  command: string,
  args: string[],
  options: SpawnOptions & { onOutput?: (line: string) => void } = {},
): ManagedProcess {
  installExitHook();
  const { onOutput, ...spawnOptions } = options;
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions });
  running.add(child);
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal);
    });
    child.once('error', () => {
      running.delete(child);
      resolve(null);
    });
  });
  if (onOutput) {
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) onOutput(line);
      });
    }
  } else {
    child.stdout?.resume();
    child.stderr?.resume();
  }
  return {
    child,
    exited,
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion, rejecting with its output when it fails. */
export async function run(
  command: string,
  args: string[],
  options: SpawnOptions & { onOutput?: (line: string) => void } = {},
): Promise<string> {
  const lines: string[] = [];
  const proc = startProcess(command, args, {
    ...options,
    onOutput: (line) => {
      lines.push(line);
      options.onOutput?.(line);
    },
  });
  const code = await proc.exited;
  if (code !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${String(code)}):\n${lines.slice(-30).join('\n')}`);
  }
  return lines.join('\n');
}

/** Polls `check` until it resolves, or throws the last error after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await check();
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms: ${String(lastError)}`);
}

/** Resolves once `ready` does; when it fails or the process exits first, kills the process and throws. */
export async function untilReadyOrKill(proc: ManagedProcess, name: string, ready: Promise<unknown>): Promise<void> {
  try {
    await Promise.race([
      ready,
      proc.exited.then((code) => {
        throw new Error(`${name} exited early (${String(code)})`);
      }),
    ]);
  } catch (error) {
    await proc.stop('SIGKILL');
    throw error;
  }
}
