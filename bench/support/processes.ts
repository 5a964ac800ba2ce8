import { fork, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerStats } from './server-process.js';

export interface ForkedServer {
  url: string;
  child: ChildProcess;
  /** What the server wrote to stderr so far (it is echoed too): errors it logged. */
  stderr(): string;
  stats(): Promise<ServerStats>;
  /**
   * Stats once every stream has ended (polling up to 5 s) and `settleMs` more
   * have passed: sockets finish closing, and their parsers return to Node's
   * pool, a little after the streams end.
   */
  statsAfterClosing(settleMs: number): Promise<ServerStats>;
  stop(): Promise<void>;
}

/** Forks a TypeScript module (run by tsx) that sends `{ type: 'ready', url }` once it listens. */
export async function forkServer(module: string, env: Record<string, string> = {}, execArgv: string[] = []): Promise<ForkedServer> {
  const child = fork(module, [], {
    execArgv: ['--import', 'tsx', ...execArgv],
    env: { ...process.env, PORT: '0', POS_DB: ':memory:', ...env },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
    process.stderr.write(chunk);
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (m: { type: string; url?: string }) => m.type === 'ready' && resolve(m.url!));
    child.once('exit', (code) => reject(new Error(`${module} exited with ${code} before it was ready`)));
  });
  const stats = (): Promise<ServerStats> =>
    new Promise((resolve) => {
      const onMessage = (m: { type: string; stats?: ServerStats }) => {
        if (m.type !== 'stats') return;
        child.off('message', onMessage);
        resolve(m.stats!);
      };
      child.on('message', onMessage);
      child.send({ type: 'stats' });
    });
  return {
    url,
    child,
    stderr: () => stderr,
    stats,
    async statsAfterClosing(settleMs) {
      for (let i = 0; i < 100 && (await stats()).openStreams > 0; i++) await sleep(50);
      await sleep(settleMs);
      return stats();
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
