import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';

/**
 * Real server processes for the cluster tests and bench:cluster:
 * test/support/cluster-test-server.ts (or another entry) as a child, its
 * output collected, real HTTP on 127.0.0.1.
 */
export interface ServerProcess {
  child: ChildProcess;
  /** From its `listening on URL` line. */
  url: string;
  out(): string;
  err(): string;
  /** Resolves with the match once `pattern` shows in stdout or stderr; rejects when the process exits first, or after `ms`. */
  waitForOutput(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code (or signal) once it has exited. */
  exited: Promise<number | NodeJS.Signals>;
  /** SIGTERM (a graceful shutdown), then SIGKILL if it has not exited within `ms`. */
  stop(ms?: number): Promise<number | NodeJS.Signals>;
}

/** Starts `entry` with `args` and `env` added to this process's environment; resolves once it listens. */
export async function startServerProcess(
  args: string[] = [],
  env: Record<string, string> = {},
  entry = 'test/support/cluster-test-server.ts',
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const changed = new Set<() => void>();
  child.stdout!.on('data', (chunk) => {
    out += chunk;
    for (const check of changed) check();
  });
  child.stderr!.on('data', (chunk) => {
    err += chunk;
    for (const check of changed) check();
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code ?? 0)));
  const waitForOutput = (pattern: RegExp, ms = 30_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(out) ?? pattern.exec(err);
        if (!match) return;
        done();
        resolve(match);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${pattern} in the output within ${ms} ms:\n${out}\n${err}`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        changed.delete(check);
      };
      changed.add(check);
      void exited.then((how) => {
        done();
        reject(new Error(`exited (${how}) before ${pattern}:\n${out}\n${err}`));
      });
      check();
    });
  let url: string;
  try {
    [, url] = (await waitForOutput(/^listening on (\S+)/m, 60_000)) as unknown as [string, string];
  } catch (error) {
    // Never left running: its workers go with it (node:cluster ends them when their primary's channel closes).
    child.kill('SIGKILL');
    throw error;
  }
  return {
    child,
    url,
    out: () => out,
    err: () => err,
    waitForOutput,
    exited,
    async stop(ms = 15_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), ms);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * HTTP over one kept-alive connection: every request of it reaches the same
 * server process, even where several share the port (node:cluster hands each
 * connection to one worker). `pid` is the process's, from /healthz.
 */
export interface PinnedClient {
  pid: number;
  request(method: string, path: string, options?: { cookie?: string; body?: unknown }): Promise<Answer>;
  /** Opens an event stream on this connection (its last use): the text so far, and a wait for a pattern in it. */
  stream(path: string, cookie?: string): Promise<EventStream>;
  close(): void;
}

export interface EventStream {
  readonly text: string;
  /** Resolves with the text once it matches; rejects after `ms` (a hang guard, not a timing assertion) or at its end without a match. */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  /** Resolves with the text once the server has ended the stream. */
  ended: Promise<string>;
  close(): void;
}

export async function pinnedClient(url: string): Promise<PinnedClient> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const send = (method: string, path: string, { cookie, body }: { cookie?: string; body?: unknown } = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        `${url}${path}`,
        {
          method,
          agent,
          headers: { ...(cookie ? { cookie } : {}), ...(payload ? { 'content-type': 'application/json' } : {}) },
        },
        (res) => {
          let text = '';
          res.setEncoding('latin1');
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const health = await send('GET', '/healthz');
  const { pid } = JSON.parse(health.body) as { pid: number };
  return {
    pid,
    request: send,
    stream: (path, cookie) =>
      new Promise<EventStream>((resolve, reject) => {
        let text = '';
        const waiters = new Set<() => void>();
        let endedResolve!: (text: string) => void;
        const ended = new Promise<string>((r) => (endedResolve = r));
        const req = request(`${url}${path}`, { agent, headers: cookie ? { cookie } : {} }, (res) => {
          res.setEncoding('utf8');
          res.on('data', (c) => {
            text += c;
            for (const check of waiters) check();
          });
          const end = () => {
            endedResolve(text);
            for (const check of waiters) check();
          };
          res.on('end', end);
          res.on('close', end);
          resolve(stream);
        });
        let finished = false;
        void ended.then(() => (finished = true));
        const stream: EventStream = {
          get text() {
            return text;
          },
          ended,
          waitFor: (pattern, ms = 20_000) =>
            new Promise((ok, fail) => {
              const check = () => {
                if (pattern.test(text)) {
                  stop();
                  ok(text);
                } else if (finished) {
                  stop();
                  fail(new Error(`the stream ended without ${pattern}:\n${text}`));
                }
              };
              const timer = setTimeout(() => {
                stop();
                fail(new Error(`the stream did not show ${pattern} within ${ms} ms:\n${text}`));
              }, ms);
              const stop = () => {
                clearTimeout(timer);
                waiters.delete(check);
              };
              waiters.add(check);
              check();
            }),
          close: () => req.destroy(),
        };
        req.on('error', (error) => {
          endedResolve(text);
          reject(error);
        });
        req.end();
      }),
    close: () => agent.destroy(),
  };
}

/**
 * Pinned clients to `count` different processes behind `url`: opens
 * connections until that many pids have answered (node:cluster deals
 * connections round-robin, so a few suffice), closing the extra ones.
 */
export async function clientsOnDistinctProcesses(url: string, count: number, tries = 40): Promise<PinnedClient[]> {
  const found = new Map<number, PinnedClient>();
  for (let i = 0; i < tries && found.size < count; i++) {
    const client = await pinnedClient(url);
    if (found.has(client.pid)) client.close();
    else found.set(client.pid, client);
  }
  if (found.size < count) throw new Error(`only ${found.size} process(es) answered at ${url} in ${tries} connections`);
  return [...found.values()];
}

/** The session cookie of a sign-in through `client`. */
export async function signIn(client: PinnedClient, email: string, password = 'partneros-demo'): Promise<string> {
  const answer = await client.request('POST', '/api/auth/sign-in/email', { body: { email, password } });
  if (answer.status !== 200) throw new Error(`sign-in as ${email}: ${answer.status} ${answer.body}`);
  const setCookie = answer.headers['set-cookie'];
  return String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0]!;
}
