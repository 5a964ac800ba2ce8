import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chownSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statfsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from './free-port.mjs';
import { isAlive } from './waiting.js';

/**
 * A throwaway PostgreSQL server for tests: `initdb` into a temporary folder,
 * `postgres` on a free port of 127.0.0.1, trust authentication (nothing else
 * can reach it), durability off (fsync, synchronous_commit, full_page_writes):
 * the data lives as long as the test process. Debian's binaries
 * (scripts/ensure-postgres.mjs installs them).
 *
 * PostgreSQL refuses to run as root, so as root both run as the `postgres`
 * system user (Debian's package creates it) through setpriv, which execs
 * without a process in between. setpriv also sets the server's parent-death
 * signal to SIGQUIT (immediate shutdown): a test process killed with kill -9
 * takes its server with it at once. Its folder is then removed by the next
 * start (folders name their owner's pid), or by the 'exit' hook on any
 * ordinary exit.
 */
export interface ThrowawayPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  url: string;
  port: number;
  /** The temporary folder (data directory and socket); gone after stop(). */
  folder: string;
  /** The postmaster's pid. */
  pid: number;
  /** A new empty database; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /**
   * Ends every other backend whose application_name matches the LIKE
   * `pattern` (as pg_terminate_backend does when a connection is cut);
   * returns how many.
   */
  terminateBackends(pattern: string): Promise<number>;
  stop(): Promise<void>;
}

const BIN = process.env.POS_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';
const PREFIX = 'pos-postgres-';
const RUN_AS = 'postgres';

/**
 * Where the servers' folders go: /dev/shm (memory) when it has room, as the
 * data need not survive the process and the disk is shared with every other
 * test (copying the template there took 0.15 s against 0.7–2.9 s on disk).
 * A container's /dev/shm is often 64 MB: then the temporary folder.
 */
const BASE = (() => {
  if (process.env.POS_POSTGRES_TMP) return process.env.POS_POSTGRES_TMP;
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.bavail * fs.bsize >= 1024 ** 3) return '/dev/shm';
  } catch {
    // no /dev/shm here
  }
  return tmpdir();
})();

/** Runs `work` on a connection of its own to `url`, closed afterwards whatever happens. */
async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** What every server, started here or given, offers over an admin connection to `url`. */
function adminMethods(url: string): Pick<ThrowawayPostgres, 'createDatabase' | 'terminateBackends'> {
  return {
    async createDatabase(name) {
      await withClient(url, (c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
      const at = new URL(url);
      at.pathname = `/${encodeURIComponent(name)}`;
      return at.toString();
    },
    terminateBackends: (pattern) =>
      withClient(url, async (c) => {
        const { rowCount } = await c.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1 AND pid <> pg_backend_pid()',
          [pattern],
        );
        return rowCount ?? 0;
      }),
  };
}

/** `setpriv` in front of a command: the unprivileged user when root, and the parent-death signal. */
function command(bin: string, args: string[]): [string, string[]] {
  const asUser = process.getuid?.() === 0 ? [`--reuid=${RUN_AS}`, `--regid=${RUN_AS}`, '--init-groups'] : [];
  return ['setpriv', [...asUser, '--pdeathsig', 'SIGQUIT', '--', join(BIN, bin), ...args]];
}

function userIds(name: string): { uid: number; gid: number } {
  const run = (flag: string) => spawnSync('id', [flag, name], { encoding: 'utf8' });
  const uid = run('-u');
  if (uid.status !== 0)
    throw new Error(`running PostgreSQL as root needs the unprivileged user "${name}": apt-get install postgresql creates it`);
  return { uid: Number(uid.stdout.trim()), gid: Number(run('-g').stdout.trim()) };
}

/** Folders left by test processes that died without their 'exit' hook (kill -9). */
function removeAbandoned(): void {
  for (const name of readdirSync(BASE)) {
    const owner = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (owner && !isAlive(Number(owner[1]))) rmSync(join(BASE, name), { recursive: true, force: true });
  }
}

/**
 * A data directory fresh from initdb, made once per machine and copied for
 * each server: initdb is most of a start (about 2.4 s against 0.15 s for the
 * copy on this machine under load). Made under a temporary name and renamed,
 * so processes starting at once never copy a half-made one.
 */
function template(): string {
  const path = join(BASE, `pos-postgres-template-15-${process.getuid?.() === 0 ? RUN_AS : process.getuid?.()}`);
  if (existsSync(join(path, 'PG_VERSION'))) return path;
  const making = mkdtempSync(join(BASE, `${PREFIX}${process.pid}-template-`));
  if (process.getuid?.() === 0) {
    const { uid, gid } = userIds(RUN_AS);
    chownSync(making, uid, gid);
  }
  const [initdb, args] = command('initdb', [
    '-D',
    join(making, 'data'),
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '--encoding=UTF8',
    '--locale=C',
    '--wal-segsize=1',
  ]);
  const init = spawnSync(initdb, args, { encoding: 'utf8' });
  if (init.status !== 0) {
    rmSync(making, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}): ${init.stderr || init.stdout}`);
  }
  try {
    renameSync(join(making, 'data'), path);
  } catch (error) {
    // Another process made it first: use theirs.
    if (!existsSync(join(path, 'PG_VERSION'))) throw error;
  } finally {
    rmSync(making, { recursive: true, force: true });
  }
  return path;
}

/** Resolves once the server accepts connections, rejects when it exits first. */
async function ready(url: string, child: ChildProcess, log: () => string): Promise<void> {
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `postgres exited (${signal ?? code}) before accepting connections:\n${log()}`));
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    if (exited) throw new Error(exited);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`postgres did not accept connections within 60 s:\n${log()}`);
}

export async function startPostgres(): Promise<ThrowawayPostgres> {
  if (!existsSync(join(BIN, 'initdb'))) {
    // As the browser tests do for Chromium: installs Debian's package as root, or says what to install.
    const ensured = spawnSync(process.execPath, [fileURLToPath(new URL('../../scripts/ensure-postgres.mjs', import.meta.url))], {
      stdio: 'inherit',
    });
    if (ensured.status !== 0) throw new Error(`no PostgreSQL in ${BIN}: see the line above (node scripts/ensure-postgres.mjs)`);
  }
  removeAbandoned();
  const folder = mkdtempSync(join(BASE, `${PREFIX}${process.pid}-`));
  const remove = () => {
    try {
      rmSync(folder, { recursive: true, force: true, maxRetries: 5 });
    } catch {
      // A server still dying writes as it goes: the next start removes what is left.
    }
  };
  process.once('exit', remove);
  if (process.getuid?.() === 0) {
    const { uid, gid } = userIds(RUN_AS);
    chownSync(folder, uid, gid);
  }
  const data = join(folder, 'data');
  const copied = spawnSync('cp', ['-a', template(), data], { encoding: 'utf8' });
  if (copied.status !== 0) {
    remove();
    throw new Error(`copying the initdb template failed: ${copied.stderr}`);
  }

  // The port is free when asked; another process may take it before postgres binds: try again.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const [postgres, args] = command('postgres', [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      folder,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=32MB',
    ]);
    // The log goes to a file, not a pipe, and the child is unref'd: a server left running never keeps the test process alive.
    const logFile = join(folder, `postgres-${attempt}.log`);
    const fd = openSync(logFile, 'a');
    const child = spawn(postgres, args, { stdio: ['ignore', 'ignore', fd] });
    closeSync(fd);
    child.unref();
    const log = () => readFileSync(logFile, 'utf8').slice(-8000);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const kill = () => child.kill('SIGQUIT');
    process.once('exit', kill);
    try {
      await ready(url, child, log);
    } catch (error) {
      process.off('exit', kill);
      kill();
      if (attempt < 3 && /could not bind|Address already in use/.test(log())) continue;
      remove();
      throw error;
    }
    const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    return {
      url,
      port,
      folder,
      pid: child.pid!,
      ...adminMethods(url),
      async stop() {
        // Fast shutdown: clients are disconnected rather than waited for.
        child.ref(); // waited for now
        child.kill('SIGINT');
        await exited;
        process.off('exit', kill);
        process.off('exit', remove);
        remove();
      },
    };
  }
}

let shared: Promise<ThrowawayPostgres> | undefined;
let databases = 0;

/**
 * One server for the whole test process, started on first use and ended with
 * the process (the 'exit' hook, or the parent-death signal): for suites that
 * run every server test on PostgreSQL too, each test in a database of its own
 * (freshDatabase), as SQLite's tests each open `:memory:`.
 */
export function sharedPostgres(): Promise<ThrowawayPostgres> {
  const given = process.env.POS_TEST_POSTGRES_URL;
  shared ??= given ? Promise.resolve(alreadyRunning(given)) : startPostgres();
  return shared;
}

/**
 * A server another process started and stops (scripts/test-server-postgres.ts,
 * one for the whole `npm run test:server:postgres`): the same methods, but
 * stop() leaves it running.
 */
function alreadyRunning(url: string): ThrowawayPostgres {
  const at = new URL(url);
  return {
    url,
    port: Number(at.port),
    folder: '',
    pid: 0,
    ...adminMethods(url),
    stop: async () => {},
  };
}

/** The URL of a new, empty database on the shared server. */
export async function freshDatabase(): Promise<string> {
  return (await sharedPostgres()).createDatabase(`test_${process.pid}_${++databases}`);
}
