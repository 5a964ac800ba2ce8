/**
 * bench:api — our picker routes against the machine's limit for the same bytes.
 *
 * Both servers run in processes of their own; autocannon (50 connections,
 * 10 s; 10 connections for 1 s with --smoke) drives one route at a time,
 * alternating ours and the limit three times (once with --smoke); the table
 * gives the medians, since a 2-core machine running autocannon beside the
 * server is noisy. The limit is a bare node:http server answering bytes
 * computed in advance; "Hono floor" is Hono on @hono/node-server answering a
 * fixed 304 with no middleware: the framework's own ceiling for that row.
 * Target: ours/limit ≥ 0.7 for full responses and ≥ 0.8 for 304s.
 */
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_PASSWORD, BENCH_USER } from './support/fixtures.js';
import { forkServer } from './support/processes.js';
import { machine, median, publish, SMOKE, table, type Row } from './support/report.js';

const DURATION = SMOKE ? 1 : 10;
const CONNECTIONS = SMOKE ? 10 : 50;
const ROUNDS = SMOKE ? 1 : 3;
const dir = mkdtempSync(join(tmpdir(), 'pos-bench-api-'));
const dbPath = join(dir, 'bench.sqlite');

const ours = await forkServer('bench/support/server-process.ts', { POS_DB: dbPath, BENCH_TRAININGS: '2000' });
const signIn = await fetch(`${ours.url}/api/auth/sign-in/email`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: BENCH_USER, password: BENCH_PASSWORD }),
});
const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;

const ROUTES = ['trainings', 'specializations', 'training-tags'].map((r) => `/api/workflow-pickers/${r}`);
// What our server sends, header lines included, for the limit server to replay.
// Node adds these itself on both servers.
const PER_CONNECTION = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
const headersOf = (response: Response) => Object.fromEntries([...response.headers].filter(([name]) => !PER_CONNECTION.has(name)));
const captured: Record<
  string,
  { etag: string; body: string; headers: Record<string, string>; notModifiedHeaders: Record<string, string> }
> = {};
for (const path of ROUTES) {
  const response = await fetch(`${ours.url}${path}`, { headers: { cookie } });
  const etag = response.headers.get('etag')!;
  const notModified = await fetch(`${ours.url}${path}`, { headers: { cookie, 'if-none-match': etag } });
  if (notModified.status !== 304) throw new Error(`${path}: expected 304 to its own ETag, got ${notModified.status}`);
  captured[path] = { etag, body: await response.text(), headers: headersOf(response), notModifiedHeaders: headersOf(notModified) };
}
const trainings = JSON.parse(captured[ROUTES[0]!]!.body).trainings as unknown[];
if (trainings.length !== 2000) throw new Error(`expected 2,000 published trainings, got ${trainings.length}`);
writeFileSync(join(dir, 'responses.json'), JSON.stringify(captured));
const limit = await forkServer('bench/support/limit-server.ts', { BENCH_RESPONSES: join(dir, 'responses.json') });
const floor = await forkServer('bench/support/hono-floor.ts', {
  BENCH_FLOOR_HEADERS: JSON.stringify(captured[ROUTES[0]!]!.notModifiedHeaders),
});

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
const cases = [
  ...ROUTES.map((path) => ({ name: `GET ${path.replace('/api/workflow-pickers/', '')}`, path, status: 200 as const, target: 0.7 })),
  { name: 'GET trainings, 304', path: ROUTES[0]!, status: 304 as const, target: 0.8 },
];
type Run = Awaited<ReturnType<typeof load>>;
const mid = (runs: Run[]) => ({
  rps: median(runs.map((r) => r.rps)),
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
});
for (const c of cases) {
  const conditional: Record<string, string> = c.status === 304 ? { 'if-none-match': captured[c.path]!.etag } : {};
  const mineRuns: Run[] = [];
  const bareRuns: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    mineRuns.push(await load(`${ours.url}${c.path}`, { cookie, ...conditional }, c.status));
    bareRuns.push(await load(`${limit.url}${c.path}`, conditional, c.status));
  }
  const mine = mid(mineRuns);
  const bare = mid(bareRuns);
  const ratio = mine.rps / bare.rps;
  rows.push({
    route: c.name,
    bytes: c.status === 304 ? 0 : captured[c.path]!.body.length,
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
    const framework = mid(await Promise.all([0].map(() => load(`${floor.url}/x`, {}, 304))));
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

// Correctness: another connection changes the data; the very next request must show it.
const writer = new Database(dbPath);
const firstId = (trainings[0] as { id: string }).id;
writer.prepare('UPDATE trainings SET title = ? WHERE id = ?').run('AAA renamed by another process', firstId);
writer.close();
const after = await fetch(`${ours.url}${ROUTES[0]}`, { headers: { cookie, 'if-none-match': captured[ROUTES[0]!]!.etag } });
const changed = after.status === 200 && (await after.text()).includes('AAA renamed by another process');
if (!changed) throw new Error('a cached trainings response did not change after the data changed');

await Promise.all([ours.stop(), limit.stop(), floor.stop()]);
rmSync(dir, { recursive: true, force: true });

publish(
  'bench:api',
  `## bench:api — picker routes against the machine's limit

${machine()}. autocannon, ${CONNECTIONS} connections, ${DURATION} s per run, medians of ${ROUNDS} alternating runs, organisation with 2,000 published
trainings (plus 2,000 drafts, and another organisation of the same size). "limit" is a bare node:http server
answering the same bytes computed in advance. Freshness checked: after another process changed a training,
the next request with the old ETag got 200 with the new data. The limit replays our header lines too (the security
headers included), so the two differ only in the work done per request.

${table(rows)}`,
);
