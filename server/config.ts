import { parseArgs } from 'node:util';
import { isPostgresUrl } from './storage/open.js';
import { parseTrustProxy, TrustProxyError, type TrustProxy } from './proxy.js';

/** Every setting of the reference server. See the README's "Settings" table. */
export interface ServerConfig {
  port: number;
  host: string;
  /** SQLite file path, or `:memory:`: the embedded engine, used unless `databaseUrl` is set. */
  db: string;
  /** A `postgres://` (or `postgresql://`) URL: the server runs on PostgreSQL instead of SQLite (several instances may share it). */
  databaseUrl: string | undefined;
  /** Path of a JSON fixture used to fill a new database instead of the demo data. */
  fixture: string | undefined;
  /** Origins allowed to call the API with credentials (CORS). */
  corsOrigins: string[];
  ssePollMs: number;
  sseHeartbeatMs: number;
  sseTimeoutMs: number;
  /** How many PPTX exports may be generated at the same time. */
  exportConcurrency: number;
  /**
   * Each organisation's allowance for premium exports per calendar month (UTC),
   * in cents of `costCents`; undefined: no allowance (nothing is refused).
   */
  exportQuotaCents: number | undefined;
  /** A job still pending this long after its dispatch is marked failed (`timed_out`). */
  exportDeadlineMs: number;
  /** A session unused this long has expired (its use is recorded at most once a minute). */
  sessionIdleMs: number;
  /** A session has expired this long after sign-in, however much it was used (and the cookie with it). */
  sessionMaxMs: number;
  /** Largest request body accepted, in bytes; larger ones get 413. */
  maxBodyBytes: number;
  /** Log one line per request (Hono's logger) to stdout. */
  logRequests: boolean;
  /** Failed sign-ins allowed per account in 15 minutes (5× that per client address) before 429. */
  signInMaxFailures: number;
  /**
   * Offer `/api/demo/*`: `next-export` (make the next export fail or never finish),
   * `exhaust-quota` and `reset-quota`. For the demo only.
   */
  demoControls: boolean;
  /** Which peers' X-Forwarded-For / X-Forwarded-Proto to believe (server/proxy.ts); off: nobody's. */
  trustProxy: TrustProxy;
  /**
   * PEM certificate and key files: with both, the server speaks HTTP/2 over TLS
   * (and HTTP/1.1 over TLS to clients without HTTP/2). `npm run dev-cert` makes a
   * self-signed pair for local use.
   */
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  /**
   * Server processes on this machine sharing the port (node:cluster, server/cluster.ts):
   * 1 is one process and no cluster.
   */
  workers: number;
}

export const DEFAULT_CONFIG: ServerConfig = {
  port: 8787,
  host: '127.0.0.1',
  db: 'data/partneros.sqlite',
  databaseUrl: undefined,
  fixture: undefined,
  corsOrigins: [],
  ssePollMs: 1500,
  sseHeartbeatMs: 15_000,
  sseTimeoutMs: 300_000,
  exportConcurrency: 2,
  exportQuotaCents: undefined,
  // Longer than the stream's 5-minute timeout: a stream gives up before the job does.
  exportDeadlineMs: 600_000,
  sessionIdleMs: 7 * 24 * 60 * 60 * 1000,
  sessionMaxMs: 30 * 24 * 60 * 60 * 1000,
  maxBodyBytes: 64 * 1024,
  logRequests: false,
  signInMaxFailures: 10,
  demoControls: false,
  trustProxy: false,
  tlsCert: undefined,
  tlsKey: undefined,
  workers: 1,
};

/** Thrown for a setting that cannot be used; main() prints the message and exits 1. */
export class ConfigError extends Error {}

function integer(name: string, raw: string, min: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  }
  return value;
}

/**
 * Reads settings from the environment, then from CLI flags (which win).
 * Flags: --port, --host, --db, --database-url, --fixture, --cors-origins, --trust-proxy, --sse-timeout-ms,
 * --export-quota-cents, --export-deadline-ms, --demo-controls, --tls-cert, --tls-key, --workers.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): ServerConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      'database-url': { type: 'string' },
      fixture: { type: 'string' },
      'cors-origins': { type: 'string' },
      'sse-timeout-ms': { type: 'string' },
      'export-quota-cents': { type: 'string' },
      'export-deadline-ms': { type: 'string' },
      'demo-controls': { type: 'boolean' },
      'trust-proxy': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      workers: { type: 'string' },
    },
    strict: true,
  });
  const pick = (flag: string | undefined, envName: string) => flag ?? (env[envName] || undefined);
  const config: ServerConfig = { ...DEFAULT_CONFIG };

  const port = pick(values.port, 'PORT');
  if (port !== undefined) config.port = integer('PORT', port, 0);
  const host = pick(values.host, 'HOST');
  if (host !== undefined) config.host = host;
  const db = pick(values.db, 'POS_DB');
  if (db !== undefined) config.db = db;
  config.databaseUrl = pick(values['database-url'], 'POS_DATABASE_URL');
  if (config.databaseUrl !== undefined && !isPostgresUrl(config.databaseUrl)) {
    throw new ConfigError(
      `${values['database-url'] !== undefined ? '--database-url' : 'POS_DATABASE_URL'} must be a postgres:// or postgresql:// URL, got one starting "${config.databaseUrl.split(/[:@]/)[0]}" (the rest is not shown: it may hold a password); for SQLite, set POS_DB to a file path instead`,
    );
  }
  config.fixture = pick(values.fixture, 'POS_FIXTURE');
  const origins = pick(values['cors-origins'], 'POS_CORS_ORIGINS');
  if (origins !== undefined) {
    config.corsOrigins = origins
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    for (const origin of config.corsOrigins) {
      if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
        throw new ConfigError(`POS_CORS_ORIGINS entries must be origins like https://builder.example.com, got "${origin}"`);
      }
    }
  }
  const numbers: [keyof ServerConfig, string, number][] = [
    ['ssePollMs', 'POS_SSE_POLL_MS', 1],
    ['sseHeartbeatMs', 'POS_SSE_HEARTBEAT_MS', 1],
    ['sseTimeoutMs', 'POS_SSE_TIMEOUT_MS', 1],
    ['exportConcurrency', 'POS_EXPORT_CONCURRENCY', 1],
    ['exportDeadlineMs', 'POS_EXPORT_DEADLINE_MS', 1],
    ['maxBodyBytes', 'POS_MAX_BODY_BYTES', 1],
    ['signInMaxFailures', 'POS_SIGNIN_MAX_FAILURES', 1],
    ['sessionIdleMs', 'POS_SESSION_IDLE_MS', 1],
    ['sessionMaxMs', 'POS_SESSION_MAX_MS', 1],
  ];
  for (const [key, name, min] of numbers) {
    const raw = env[name];
    if (raw) (config as unknown as Record<string, number>)[key] = integer(name, raw, min);
  }
  if (values['sse-timeout-ms'] !== undefined) config.sseTimeoutMs = integer('--sse-timeout-ms', values['sse-timeout-ms'], 1);
  if (values['export-deadline-ms'] !== undefined)
    config.exportDeadlineMs = integer('--export-deadline-ms', values['export-deadline-ms'], 1);
  // 0 is an allowance (every export that is not a cache hit is refused), unlike an unset one.
  const quota = values['export-quota-cents'] ?? (env.POS_EXPORT_QUOTA_CENTS || undefined);
  if (quota !== undefined) {
    config.exportQuotaCents = integer(
      values['export-quota-cents'] !== undefined ? '--export-quota-cents' : 'POS_EXPORT_QUOTA_CENTS',
      quota,
      0,
    );
  }
  config.demoControls = values['demo-controls'] ?? (env.POS_DEMO_CONTROLS === '1' || env.POS_DEMO_CONTROLS === 'true');
  const trustProxy = pick(values['trust-proxy'], 'POS_TRUST_PROXY');
  try {
    config.trustProxy = parseTrustProxy(trustProxy);
  } catch (error) {
    if (!(error instanceof TrustProxyError)) throw error;
    throw new ConfigError(`${values['trust-proxy'] !== undefined ? '--trust-proxy' : 'POS_TRUST_PROXY'} ${error.message}`);
  }
  config.tlsCert = pick(values['tls-cert'], 'POS_TLS_CERT');
  config.tlsKey = pick(values['tls-key'], 'POS_TLS_KEY');
  if (!config.tlsCert !== !config.tlsKey)
    throw new ConfigError('POS_TLS_CERT and POS_TLS_KEY go together: set both (HTTP/2 over TLS) or neither');
  const workers = pick(values.workers, 'POS_WORKERS');
  if (workers !== undefined) config.workers = integer(values.workers !== undefined ? '--workers' : 'POS_WORKERS', workers, 1);
  if (env.POS_LOG_REQUESTS) config.logRequests = env.POS_LOG_REQUESTS !== '0' && env.POS_LOG_REQUESTS !== 'false';
  return config;
}
