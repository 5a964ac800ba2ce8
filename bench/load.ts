/**
 * Load: 60 s of mixed traffic (10 s with --smoke) from autocannon, 100
 * connections (20 with --smoke), cycling through every picker route, the
 * lessons and the session, with a real sign-in in every tenth request, while
 * 500 export streams (50 with --smoke) stay open. Zero unexpected statuses,
 * nothing logged by the server, memory back where it was afterwards.
 */
import autocannon from 'autocannon';
import { request, type ClientRequest } from 'node:http';
import { benchLessonId, BENCH_PASSWORD, BENCH_USER } from './support/fixtures.js';
import { forkServer } from './support/processes.js';
import { leakRows, machine, publish, SMOKE, table } from './support/report.js';

const DURATION = SMOKE ? 10 : 60;
const CONNECTIONS = SMOKE ? 20 : 100;
const STREAMS = SMOKE ? 50 : 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const server = await forkServer('bench/support/server-process.ts', { BENCH_TRAININGS: '500', POS_SSE_TIMEOUT_MS: '600000' }, [
  '--expose-gc',
]);
const { hostname, port } = new URL(server.url);
const signInBody = JSON.stringify({ email: BENCH_USER, password: BENCH_PASSWORD });
const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: signInBody,
});
const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
const before = await server.stats();

const streams: ClientRequest[] = [];
await Promise.all(
  Array.from(
    { length: STREAMS },
    (_, i) =>
      new Promise<void>((resolve, reject) => {
        const req = request(
          {
            hostname,
            port,
            path: `/api/exports/pptx/stream?lessonId=${benchLessonId(i % 10)}&cacheKey=load${i}`,
            headers: { cookie },
            agent: false,
          },
          (res) => {
            res.once('data', () => resolve());
            res.on('error', () => {});
          },
        );
        req.on('error', reject);
        req.end();
        streams.push(req);
      }),
  ),
);

const get = (path: string) => ({ method: 'GET' as const, path, headers: { cookie } });
const requests = [
  get('/api/workflow-pickers/trainings'),
  get('/api/workflow-pickers/specializations'),
  get('/api/workflow-pickers/training-tags'),
  get('/api/workflow-pickers/trigger-types'),
  get('/api/enablement/lessons'),
  get('/api/auth/session'),
  get('/api/workflow-pickers/trainings'),
  get('/api/workflow-pickers/training-tags'),
  get('/healthz'),
  { method: 'POST' as const, path: '/api/auth/sign-in/email', headers: { 'content-type': 'application/json' }, body: signInBody },
];
const result = await autocannon({ url: server.url, connections: CONNECTIONS, duration: DURATION, requests });
const openDuring = (await server.stats()).openStreams;

for (const s of streams) s.destroy();
await sleep(2000);
const after = await server.stats();
const errors = server.stderr();
await server.stop();

const unexpected = result['1xx'] + result['3xx'] + result['4xx'] + result['5xx'] + result.errors + result.timeouts;
const rows = [
  {
    measure: 'requests',
    value: `${result.requests.total} in ${DURATION} s (${Math.round(result.requests.average)}/s), p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
    target: '',
    met: '',
  },
  {
    measure: 'unexpected statuses, errors, timeouts',
    value: `${result['4xx'] + result['3xx'] + result['1xx']} / ${result['5xx']} 5xx / ${result.errors} / ${result.timeouts}`,
    target: '0',
    met: unexpected === 0 ? 'yes' : 'NO',
  },
  {
    measure: 'streams open during the load',
    value: `${openDuring} of ${STREAMS}`,
    target: String(STREAMS),
    met: openDuring === STREAMS ? 'yes' : 'NO',
  },
  { measure: 'openStreams after', value: String(after.openStreams), target: '0', met: after.openStreams === 0 ? 'yes' : 'NO' },
  ...leakRows(before.heapUsed, after.heapUsed, errors),
];
publish(
  'load',
  `## load — mixed traffic with open streams

${machine()}. autocannon, ${CONNECTIONS} connections for ${DURATION} s over every picker route, the lessons, the
session, /healthz and a real sign-in (scrypt) in every tenth request, with ${STREAMS} export streams open throughout.

${table(rows)}`,
);
// A smoke run (CI) proves the script works; only a real run judges the figures.
if (!SMOKE && rows.some((r) => r.met === 'NO')) process.exitCode = 1;
