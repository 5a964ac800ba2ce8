/**
 * bench:sse — many export streams on one server.
 *
 * Opens 5,000 streams (200 with --smoke) that all follow one lesson, measures
 * the server's heap and RSS per open stream (after a full GC), counts the SQL
 * statements per poll tick (SQLite's own count), completes one export and
 * measures, per stream, the time from the job's completion (its completed_at)
 * to the `completed` event arriving; then closes every stream and checks that
 * openStreams is back to 0 and the heap back near where it started. The same
 * client then measures the machine's floor for that fan-out (sse-floor.ts: a
 * bare node:http server ending as many streams with the same bytes).
 * Run through `npm run bench:sse`, which raises the file-descriptor limit;
 * `npm run bench:sse -- --streams 4000` measures another count without publishing it.
 */
import { benchLessonId, BENCH_PASSWORD, BENCH_USER } from './support/fixtures.js';
import { forkServer } from './support/processes.js';
import { arrivals, openStreams } from './support/stream-clients.js';
import { machine, publish, quantile, SMOKE, table } from './support/report.js';

// `--streams N`: a what-if run at another count (printed, not written into BENCHMARKS.md).
const streamsFlag = process.argv.indexOf('--streams');
const WHAT_IF = streamsFlag > 0 ? Number(process.argv[streamsFlag + 1]) : undefined;
if (WHAT_IF !== undefined && !(Number.isInteger(WHAT_IF) && WHAT_IF > 0)) throw new Error('--streams needs a whole number of streams');
const STREAMS = SMOKE ? 200 : (WHAT_IF ?? 5000);
const POLL_MS = 1500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const server = await forkServer(
  'bench/support/server-process.ts',
  { BENCH_TRAININGS: '50', BENCH_COUNT_STATEMENTS: '1', POS_SSE_POLL_MS: String(POLL_MS), POS_SSE_TIMEOUT_MS: '600000' },
  ['--expose-gc'],
);
const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: BENCH_USER, password: BENCH_PASSWORD }),
});
const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
const lessonId = benchLessonId(0);

const before = await server.stats();

const openStarted = performance.now();
const clients = await openStreams(
  server.url,
  `/api/exports/pptx/stream?lessonId=${lessonId}&cacheKey=bench`,
  `Cookie: ${cookie}\r\n`,
  STREAMS,
);
const openSeconds = (performance.now() - openStarted) / 1000;

const opened = await server.stats();
if (opened.openStreams !== STREAMS) throw new Error(`expected ${STREAMS} open streams, the server has ${opened.openStreams}`);

// Statements per tick: over a few ticks with nothing else happening.
const s0 = await server.stats();
await sleep(POLL_MS * 3 + 200);
const s1 = await server.stats();
const ticks = s1.pollChecks - s0.pollChecks;
// Each stats() call itself runs no SQL; the server's only statements here are the poll's.
const statementsPerTick = (s1.statements - s0.statements) / ticks;

// One export completes; every stream should hear it at once.
const dispatched = await fetch(`${server.url}/api/exports/pptx`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', cookie },
  body: JSON.stringify({ lessonId, cacheKey: 'bench' }),
});
if (dispatched.status !== 202) throw new Error(`dispatch answered ${dispatched.status}`);
const { delays, missing } = await arrivals(clients, async () => {
  const job = (await (
    await fetch(`${server.url}/api/exports/pptx`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ lessonId, cacheKey: 'bench' }),
    })
  ).json()) as { job: { completedAt: string } };
  return Date.parse(job.job.completedAt);
});

// Close everything (the server ends each stream after `completed`; abort what is left).
for (const c of clients) c.socket.destroy();
const after = await server.statsAfterClosing(2000);
await server.stop();

// The same fan-out on the machine's floor (sse-floor.ts), with the same client.
const floor = await forkServer('bench/support/sse-floor.ts');
const floorClients = await openStreams(floor.url, '/', '', STREAMS);
const floorFired = new Promise<{ at: number; loopMs: number }>((resolve) =>
  floor.child.on('message', (m: { type: string; at: number; loopMs: number }) => m.type === 'fired' && resolve(m)),
);
floor.child.send({ type: 'fire' });
const floorRun = await arrivals(floorClients, async () => (await floorFired).at);
for (const c of floorClients) c.socket.destroy();
await floor.stop();
const floorLoopMs = (await floorFired).loopMs;

const kb = (bytes: number) => (bytes / 1024).toFixed(2);
const heapPerStream = (opened.heapUsed - before.heapUsed) / STREAMS;
const rssPerStream = (opened.rss - before.rss) / STREAMS;
const heapBack = (after.heapUsed - before.heapUsed) / before.heapUsed;
const rows = [
  { measure: 'streams opened', value: `${STREAMS} in ${openSeconds.toFixed(1)} s`, target: '', met: '' },
  { measure: 'heap per open stream', value: `${kb(heapPerStream)} KB`, target: '≤ 10 KB', met: heapPerStream <= 10 * 1024 ? 'yes' : 'NO' },
  { measure: 'RSS per open stream', value: `${kb(rssPerStream)} KB`, target: '', met: '' },
  {
    measure: 'SQL statements per poll tick',
    value: `${statementsPerTick} (${ticks} ticks)`,
    target: 'exactly 1',
    met: statementsPerTick === 1 ? 'yes' : 'NO',
  },
  { measure: 'completion → event, first stream', value: `${Math.min(...delays)} ms`, target: '', met: '' },
  { measure: 'completion → event, p50', value: `${quantile(delays, 0.5)} ms`, target: '', met: '' },
  {
    measure: 'completion → event, p99',
    value: `${quantile(delays, 0.99)} ms`,
    target: '≤ 100 ms',
    met: quantile(delays, 0.99) <= 100 ? 'yes' : 'NO',
  },
  { measure: 'completion → event, max', value: `${Math.max(...delays)} ms`, target: '', met: '' },
  {
    measure: 'floor: bare node:http ending as many streams with the same bytes, p50 / p99 / max',
    value: `${quantile(floorRun.delays, 0.5)} / ${quantile(floorRun.delays, 0.99)} / ${Math.max(...floorRun.delays)} ms (its loop: ${floorLoopMs} ms${floorRun.missing ? `, ${floorRun.missing} missed` : ''})`,
    target: '(context)',
    met: '',
  },
  { measure: 'streams that missed the event', value: String(missing), target: '0', met: missing === 0 ? 'yes' : 'NO' },
  { measure: 'openStreams after closing', value: String(after.openStreams), target: '0', met: after.openStreams === 0 ? 'yes' : 'NO' },
  {
    measure: 'heap after closing vs before',
    value: `${(heapBack * 100).toFixed(1)} % (${kb(before.heapUsed)} → ${kb(after.heapUsed)} KB)`,
    target: '≤ 10 %',
    met: heapBack <= 0.1 ? 'yes' : 'NO',
  },
];
publish(
  'bench:sse',
  `## bench:sse — ${STREAMS} export streams on one server

${machine()}. Server in its own process (\`--expose-gc\`, a full GC before each memory reading), poll every
${POLL_MS} ms, all streams following one lesson; statements counted by SQLite (better-sqlite3's \`verbose\` hook).

${table(rows)}`,
  WHAT_IF !== undefined,
);
