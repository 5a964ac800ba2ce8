/**
 * The reference server in its own process for benchmarks, seeded with the
 * bench fixture. Forked with IPC: it sends `{ type: 'ready', url }`, and
 * answers `{ type: 'stats' }` with memory (after a full GC when run with
 * --expose-gc), open streams, poll checks, the SQL statements run and the
 * decks generated so far.
 */
import { loadConfig } from '../../server/config.js';
import { renderLessonDeck } from '../../server/exports/deck.js';
import { startServer } from '../../server/server.js';
import { benchFixture } from './fixtures.js';

let statements = 0;
let renders = 0;
const config = loadConfig();
const running = await startServer(config, {
  fixture: benchFixture(Number(process.env.BENCH_TRAININGS ?? 2000)),
  onStatement: process.env.BENCH_COUNT_STATEMENTS ? () => statements++ : undefined,
  // bench:widgets loads the built bundle from /dist/ on the API's own origin.
  serveDemo: process.env.BENCH_SERVE_DIST === '1',
  // Counted: bench:cluster tells which instance generated an export.
  renderDeck: (lesson) => {
    renders++;
    return renderLessonDeck(lesson);
  },
});

export interface ServerStats {
  heapUsed: number;
  rss: number;
  openStreams: number;
  pollChecks: number;
  statements: number;
  /** Decks this process generated. */
  renders: number;
  /** Timers alive in the server process (Node's active resources of type Timeout). */
  timers: number;
}

process.on('message', (message: { type: string }) => {
  if (message.type !== 'stats') return;
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  const timers = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const stats: ServerStats = {
    heapUsed,
    rss,
    openStreams: running.streams.open,
    pollChecks: running.watcher.stats.checks,
    statements,
    renders,
    timers,
  };
  process.send!({ type: 'stats', stats });
});
process.send!({ type: 'ready', url: running.url });
process.once('SIGINT', () => process.exit(0));
