/**
 * bench:api — our picker routes against the machine's limit for the same bytes,
 * three ways: no Origin, a listed Origin (the embedding case: CORS headers),
 * and a listed Origin with `Accept-Encoding: br, gzip` (what a browser on
 * the host page sends); plus the 304 with a listed Origin.
 *
 * The servers run in processes of their own; autocannon (50 connections,
 * 5 s; 10 connections for 1 s with --smoke) drives one route at a time,
 * alternating ours and the limit three times (once with --smoke); the table
 * gives the medians, since a 2-core machine running autocannon beside the
 * server is noisy. The limit is a bare node:http server answering the bytes
 * and header lines ours sent for the same request, computed in advance;
 * "Hono floor" is Hono on @hono/node-server answering a fixed 304 with no
 * middleware: the framework's own ceiling for that row.
 * Targets: ours/limit ≥ 0.7 for full responses and ≥ 0.8 for the 304;
 * the compressed 2,000-training answer ≤ 100 KB.
 *
 * `--postgres`: the reference server on a throwaway PostgreSQL
 * (test/support/postgres.ts) instead of SQLite, written as its own section.
 */
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import pg from 'pg';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_PASSWORD, BENCH_USER } from './support/fixtures.js';
import { modeOf, type Captured } from './support/captured.js';
import { forkServer } from './support/processes.js';
import { machine, median, publish, SMOKE, table, type Row } from './support/report.js';
import { startPostgres } from '../test/support/postgres.js';

const DURATION = SMOKE ? 1 : 5;
const CONNECTIONS = SMOKE ? 10 : 50;
const ROUNDS = SMOKE ? 1 : 3;
const ORIGIN = 'https://builder.example';
const MAX_COMPRESSED_TRAININGS = 100_000;
const dir = mkdtempSync(join(tmpdir(), 'pos-bench-api-'));
const dbPath = join(dir, 'bench.sqlite');
const postgres = process.argv.includes('--postgres') ? await startPostgres() : undefined;
const databaseUrl = await postgres?.createDatabase('bench_api');
const engine = postgres ? 'PostgreSQL' : 'SQLite';

const ours = await forkServer('bench/support/server-process.ts', {
  ...(databaseUrl ? { POS_DATABASE_URL: databaseUrl } : { POS_DB: dbPath }),
  BENCH_TRAININGS: '2000',
  POS_CORS_ORIGINS: ORIGIN,
});
const signIn = await fetch(`${ours.url}/api/auth/sign-in/email`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: BENCH_USER, password: BENCH_PASSWORD }),
});
const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;

const ROUTES = ['trainings', 'specializations', 'training-tags', 'trigger-types', 'partner-stages'].map(
  (r) => `/api/workflow-pickers/${r}`,
);
const MODES = {
  plain: { label: 'no Origin', headers: {} },
  origin: { label: 'listed Origin', headers: { origin: ORIGIN } },
  compressed: { label: 'listed Origin, br', headers: { origin: ORIGIN, 'accept-encoding': 'br, gzip' } },
} as const satisfies Record<string, { label: string; headers: Record<string, string> }>;
type Mode = keyof typeof MODES;
for (const [mode, { headers }] of Object.entries(MODES)) if (modeOf(headers) !== mode) throw new Error(`mode ${mode} is not told apart`);

/** One request over node:http: the body as sent (fetch would decode it). */
const get = (path: string, headers: Record<string, string>) =>
  new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>((resolve, reject) => {
    request(`${ours.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks) }),
      );
    })
      .on('error', reject)
      .end();
  });

// What our server sends, header lines included, for the limit server to replay.
// Node adds these itself on both servers.
const PER_CONNECTION = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
const headersOf = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_CONNECTION.has(name)));
const captured: Record<string, Captured> = {};
const bodies: Record<string, Buffer> = {};
for (const path of ROUTES) {
  for (const [mode, { headers }] of Object.entries(MODES)) {
    const response = await get(path, { cookie, ...headers });
    const etag = response.headers.etag!;
    const notModified = await get(path, { cookie, ...headers, 'if-none-match': etag });
    if (response.status !== 200 || notModified.status !== 304)
      throw new Error(`${path} (${mode}): ${response.status}, then ${notModified.status}`);
    if ((mode === 'plain') !== (response.headers['access-control-allow-origin'] === undefined))
      throw new Error(`${path} (${mode}): CORS headers wrong`);
    captured[`${path}|${mode}`] = {
      etag,
      body: response.body.toString('base64'),
      headers: headersOf(response.headers),
      notModifiedHeaders: headersOf(notModified.headers),
    };
    bodies[`${path}|${mode}`] = response.body;
  }
}
const trainingsBody = bodies[`${ROUTES[0]}|plain`]!;
const trainings = JSON.parse(trainingsBody.toString()).trainings as unknown[];
if (trainings.length !== 2000) throw new Error(`expected 2,000 published trainings, got ${trainings.length}`);
const compressedTrainings = bodies[`${ROUTES[0]}|compressed`]!.length;
writeFileSync(join(dir, 'responses.json'), JSON.stringify(captured));
writeFileSync(join(dir, 'trainings.json'), trainingsBody);
const limit = await forkServer('bench/support/limit-server.ts', { BENCH_RESPONSES: join(dir, 'responses.json') });
const floor = await forkServer('bench/support/hono-floor.ts', {
  BENCH_FLOOR_HEADERS: JSON.stringify(captured[`${ROUTES[0]}|origin`]!.notModifiedHeaders),
});
const honoCompress = await forkServer('bench/support/hono-compress.ts', { BENCH_COMPRESS_BODY: join(dir, 'trainings.json') });

async function load(url: string, headers: Record<string, string>, expectStatus: 200 | 304) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  const expected = expectStatus === 200 ? result['2xx'] : result['3xx'];
  const total = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  if (result.errors || result.timeouts || expected !== total) {
    throw new Error(`${url}: ${total - expected} unexpected statuses, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const rows: Row[] = [];
const cases: { name: string; path: string; mode: Mode; status: 200 | 304; target: number }[] = [
  ...ROUTES.flatMap((path) =>
    (Object.keys(MODES) as Mode[]).map((mode) => ({
      name: `GET ${path.replace('/api/workflow-pickers/', '')}, ${MODES[mode].label}`,
      path,
      mode,
      status: 200 as const,
      target: 0.7,
    })),
  ),
  { name: `GET trainings, 304, ${MODES.origin.label}`, path: ROUTES[0]!, mode: 'origin', status: 304, target: 0.8 },
];
type Run = Awaited<ReturnType<typeof load>>;
const mid = (runs: Run[]) => ({
  rps: median(runs.map((r) => r.rps)),
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
});
for (const c of cases) {
  const key = `${c.path}|${c.mode}`;
  const conditional: Record<string, string> = c.status === 304 ? { 'if-none-match': captured[key]!.etag } : {};
  const headers = { ...MODES[c.mode].headers, ...conditional };
  const mineRuns: Run[] = [];
  const bareRuns: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    mineRuns.push(await load(`${ours.url}${c.path}`, { cookie, ...headers }, c.status));
    bareRuns.push(await load(`${limit.url}${c.path}`, headers, c.status));
  }
  const mine = mid(mineRuns);
  const bare = mid(bareRuns);
  const ratio = mine.rps / bare.rps;
  rows.push({
    route: c.name,
    bytes: c.status === 304 ? 0 : bodies[key]!.length,
    'ours req/s': Math.round(mine.rps),
    'ours p50/p99 ms': `${mine.p50} / ${mine.p99}`,
    'limit req/s': Math.round(bare.rps),
    'limit p50/p99 ms': `${bare.p50} / ${bare.p99}`,
    'ours/limit': ratio.toFixed(2),
    target: `≥ ${c.target}`,
    met: ratio >= c.target ? 'yes' : 'NO',
  });
  console.log(rows.at(-1));
  if (c.status === 304) {
    const framework = await load(`${floor.url}/x`, {}, 304);
    rows.push({
      route: 'Hono floor, 304 (no middleware)',
      bytes: 0,
      'ours req/s': Math.round(framework.rps),
      'ours p50/p99 ms': `${framework.p50} / ${framework.p99}`,
      'limit req/s': Math.round(bare.rps),
      'limit p50/p99 ms': `${bare.p50} / ${bare.p99}`,
      'ours/limit': (framework.rps / bare.rps).toFixed(2),
      target: '(context)',
      met: '',
    });
  }
}

// hono/compress (gzip per request) against our gzip made once per data version, on the trainings.
const gzipHeaders = { origin: ORIGIN, 'accept-encoding': 'gzip' };
const perRequest = await load(`${honoCompress.url}/`, { 'accept-encoding': 'gzip' }, 200);
const cachedGzip = await load(`${ours.url}${ROUTES[0]}`, { cookie, ...gzipHeaders }, 200);
const gzipBytes = (await get(ROUTES[0]!, { cookie, ...gzipHeaders })).body.length;
const compressRows: Row[] = [
  {
    server: 'hono/compress, gzip per request (CompressionStream)',
    'req/s': Math.round(perRequest.rps),
    'p50/p99 ms': `${perRequest.p50} / ${perRequest.p99}`,
  },
  {
    server: `ours, gzip made once per data version (${gzipBytes} B)`,
    'req/s': Math.round(cachedGzip.rps),
    'p50/p99 ms': `${cachedGzip.p50} / ${cachedGzip.p99}`,
  },
];
console.log(compressRows);

// Correctness: another connection changes the data; the very next request must show it.
const firstId = (trainings[0] as { id: string }).id;
const RENAMED = 'AAA renamed by another process';
if (databaseUrl) {
  const writer = new pg.Client({ connectionString: databaseUrl });
  await writer.connect();
  await writer.query('UPDATE trainings SET title = $1 WHERE id = $2', [RENAMED, firstId]);
  await writer.end();
} else {
  const writer = new Database(dbPath);
  writer.prepare('UPDATE trainings SET title = ? WHERE id = ?').run(RENAMED, firstId);
  writer.close();
}
for (const mode of Object.keys(MODES) as Mode[]) {
  const key = `${ROUTES[0]}|${mode}`;
  const after = await fetch(`${ours.url}${ROUTES[0]}`, {
    headers: { cookie, ...MODES[mode].headers, 'if-none-match': captured[key]!.etag },
  });
  const changed = after.status === 200 && (await after.text()).includes(RENAMED);
  if (!changed) throw new Error(`a cached trainings response (${MODES[mode].label}) did not change after the data changed`);
}

await Promise.all([ours.stop(), limit.stop(), floor.stop(), honoCompress.stop()]);
await postgres?.stop();
rmSync(dir, { recursive: true, force: true });

publish(
  postgres ? 'bench:api-postgres' : 'bench:api',
  `## bench:api — picker routes against the machine's limit${postgres ? ', on PostgreSQL' : ''}

${machine()}. The reference server on ${engine}${postgres ? ' (a throwaway PostgreSQL 15 on the same machine, durability off as in the tests)' : ''}. autocannon, ${CONNECTIONS} connections, ${DURATION} s per run, medians of ${ROUNDS} alternating runs, organisation with 2,000 published
trainings (plus 2,000 drafts, and another organisation of the same size). Each route three ways: no \`Origin\`, a listed
\`Origin\` (CORS headers), a listed \`Origin\` with \`Accept-Encoding: br, gzip\`. "limit" is a bare node:http server
answering the bytes ours sent for the same request (compressed where ours was) with the same header lines (security,
CORS, Vary), computed in advance, so the two differ only in the work done per request. Freshness checked each way:
after another process changed a training, the next request with the old ETag got 200 with the new data.

${table(rows)}

The 2,000-training answer compressed (brotli, listed Origin): ${compressedTrainings.toLocaleString('en')} bytes of
${trainingsBody.length.toLocaleString('en')} (target ≤ ${MAX_COMPRESSED_TRAININGS.toLocaleString('en')}: ${compressedTrainings <= MAX_COMPRESSED_TRAININGS ? 'met' : 'NOT met'}).

Hono's compress middleware (gzip or deflate only, per request) on the same body, one run each:

${table(compressRows)}`,
);
