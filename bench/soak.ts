/**
 * Soak: 10,000 export-stream open/abort cycles (500 with --smoke), 50 at a
 * time, each aborted at a random moment: before the answer, right after
 * `: connected`, or in the middle of heartbeats (sent every 20 ms, so many
 * aborts land mid-write). Afterwards the server must hold no stream, no
 * timer more than before, and a heap within 10 % of where it started.
 */
import { request } from 'node:http';
import { benchLessonId, BENCH_PASSWORD, BENCH_USER } from './support/fixtures.js';
import { forkServer } from './support/processes.js';
import { leakRows, machine, publish, SMOKE, table } from './support/report.js';

const CYCLES = SMOKE ? 500 : 10_000;
const PARALLEL = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const server = await forkServer(
  'bench/support/server-process.ts',
  { BENCH_TRAININGS: '50', POS_SSE_POLL_MS: '50', POS_SSE_HEARTBEAT_MS: '20', POS_SSE_TIMEOUT_MS: '600000' },
  ['--expose-gc'],
);
const { hostname, port } = new URL(server.url);
const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: BENCH_USER, password: BENCH_PASSWORD }),
});
const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;

// Warm up (JIT, pools) before the baseline, so the baseline is not the cold process.
async function cycle(i: number): Promise<'before-answer' | 'after-connected' | 'mid-stream'> {
  const lessonId = benchLessonId(i % 10);
  const mode = (['before-answer', 'after-connected', 'mid-stream'] as const)[i % 3]!;
  return new Promise((resolve) => {
    const req = request(
      { hostname, port, path: `/api/exports/pptx/stream?lessonId=${lessonId}&cacheKey=soak${i % 7}`, headers: { cookie }, agent: false },
      (res) => {
        res.on('data', () => {});
        res.on('error', () => {});
        if (mode === 'after-connected') res.once('data', () => req.destroy());
        else setTimeout(() => req.destroy(), 10 + Math.random() * 80);
      },
    );
    req.on('error', () => {});
    req.on('close', () => resolve(mode));
    if (mode === 'before-answer') setImmediate(() => req.destroy());
    req.end();
  });
}
for (let i = 0; i < 300; i++) await cycle(i);
await sleep(500);
const before = await server.stats();

const started = performance.now();
const modes = { 'before-answer': 0, 'after-connected': 0, 'mid-stream': 0 };
let next = 0;
await Promise.all(
  Array.from({ length: PARALLEL }, async () => {
    while (next < CYCLES) modes[await cycle(next++)]++;
  }),
);
const seconds = (performance.now() - started) / 1000;

const after = await server.statsAfterClosing(1000);
const errors = server.stderr();
await server.stop();

const rows = [
  {
    measure: 'cycles',
    value: `${CYCLES} in ${seconds.toFixed(1)} s (${Object.entries(modes)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')})`,
    target: '',
    met: '',
  },
  { measure: 'openStreams after', value: String(after.openStreams), target: '0', met: after.openStreams === 0 ? 'yes' : 'NO' },
  {
    measure: 'timers before → after',
    value: `${before.timers} → ${after.timers}`,
    target: 'no more than before',
    met: after.timers <= before.timers ? 'yes' : 'NO',
  },
  ...leakRows(before.heapUsed, after.heapUsed, errors),
];
publish(
  'soak',
  `## soak — export streams opened and aborted at random moments

${machine()}. Heartbeat every 20 ms and poll every 50 ms, so many aborts land in the middle of a write.

${table(rows)}`,
);
// A smoke run (CI) proves the script works; only a real run judges the figures.
if (!SMOKE && rows.some((r) => r.met === 'NO')) process.exitCode = 1;
