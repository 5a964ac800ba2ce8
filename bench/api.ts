/**
 * bench:api — our picker routes against the machine's limit for the same bytes.
 *
 * Both servers run in processes of their own; autocannon (50 connections,
 * 10 s each; 10 connections for 1 s with --smoke) drives one route at a time.
 * The limit is a bare node:http server answering bytes computed in advance.
 * Target: ours/limit ≥ 0.7 for full responses and ≥ 0.8 for 304s.
 */
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_PASSWORD, BENCH_USER } from './support/fixtures.js';
import { forkServer } from './support/processes.js';
import { machine, publish, SMOKE, table, type Row } from './support/report.js';

const DURATION = SMOKE ? 1 : 10;
const CONNECTIONS = SMOKE ? 10 : 50;
const dir = mkdtempSync(join(tmpdir(), 'pos-bench-api-'));
const dbPath = join(dir, 'bench.sqlite');

const ours = await forkServer('bench/support/server-process.ts', { POS_DB: dbPath, BENCH_TRAININGS: '2000' });
const signIn = await fetch(`${ours.url}/api/auth/sign-in/email`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: BENCH_USER, password: BENCH_PASSWORD }),
});
const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;

const ROUTES = ['trainings', 'specializations', 'training-tags'].map((r) => `/api/workflow-pickers/${r}`);
const captured: Record<string, { etag: string; body: string }> = {};
for (const path of ROUTES) {
  const response = await fetch(`${ours.url}${path}`, { headers: { cookie } });
  captured[path] = { etag: response.headers.get('etag')!, body: await response.text() };
}
const trainings = JSON.parse(captured[ROUTES[0]!]!.body).trainings as unknown[];
if (trainings.length !== 2000) throw new Error(`expected 2,000 published trainings, got ${trainings.length}`);
writeFileSync(join(dir, 'responses.json'), JSON.stringify(captured));
const limit = await forkServer('bench/support/limit-server.ts', { BENCH_RESPONSES: join(dir, 'responses.json') });

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
for (const c of cases) {
  const conditional: Record<string, string> = c.status === 304 ? { 'if-none-match': captured[c.path]!.etag } : {};
  const mine = await load(`${ours.url}${c.path}`, { cookie, ...conditional }, c.status);
  const bare = await load(`${limit.url}${c.path}`, conditional, c.status);
  const ratio = mine.rps / bare.rps;
  rows.push({
    route: c.name, bytes: c.status === 304 ? 0 : captured[c.path]!.body.length,
    'ours req/s': Math.round(mine.rps), 'ours p50/p99 ms': `${mine.p50} / ${mine.p99}`,
    'limit req/s': Math.round(bare.rps), 'limit p50/p99 ms': `${bare.p50} / ${bare.p99}`,
    'ours/limit': ratio.toFixed(2), target: `≥ ${c.target}`, met: ratio >= c.target ? 'yes' : 'NO',
  });
  console.log(rows.at(-1));
}

// Correctness: another connection changes the data; the very next request must show it.
const writer = new Database(dbPath);
const firstId = (trainings[0] as { id: string }).id;
writer.prepare('UPDATE trainings SET title = ? WHERE id = ?').run('AAA renamed by another process', firstId);
writer.close();
const after = await fetch(`${ours.url}${ROUTES[0]}`, { headers: { cookie, 'if-none-match': captured[ROUTES[0]!]!.etag } });
const changed = after.status === 200 && (await after.text()).includes('AAA renamed by another process');
if (!changed) throw new Error('a cached trainings response did not change after the data changed');

await Promise.all([ours.stop(), limit.stop()]);
rmSync(dir, { recursive: true, force: true });

publish(
  'bench:api',
  `## bench:api — picker routes against the machine's limit

${machine()}. autocannon, ${CONNECTIONS} connections, ${DURATION} s per row, organisation with 2,000 published
trainings (plus 2,000 drafts, and another organisation of the same size). "limit" is a bare node:http server
answering the same bytes computed in advance. Freshness checked: after another process changed a training,
the next request with the old ETag got 200 with the new data.

${table(rows)}`,
);
