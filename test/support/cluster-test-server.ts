/**
 * The reference server as `npm run serve` runs it (server/cluster.ts: one
 * process, or `--workers N`), seeded with the browser fixture, with a renderer
 * that says which process renders what (`rendering "<title>" in <pid>`) and
 * takes POS_TEST_SLOW_MS (default 1500) for lessons titled "[slow] …": the
 * cluster tests kill the process that renders and count the renders. Each
 * process prints `starting in <pid>` first.
 */
import cluster from 'node:cluster';
import { writeFileSync } from 'node:fs';
import { serve } from '../../server/cluster.js';
import { loadConfig } from '../../server/config.js';
import { renderLessonDeck, type LessonContent } from '../../server/exports/deck.js';
import { startServer } from '../../server/server.js';
import { browserFixture } from '../fixtures/browser-fixture.js';
import { LESSON_BEHAVIOUR } from '../fixtures/test-users.js';

const slowMs = Number(process.env.POS_TEST_SLOW_MS ?? 1500);

async function render(lesson: LessonContent) {
  console.log(`rendering ${JSON.stringify(lesson.title)} in ${process.pid}`);
  if (lesson.title.startsWith(LESSON_BEHAVIOUR.slow)) await new Promise((r) => setTimeout(r, slowMs));
  return renderLessonDeck(lesson);
}

// The cluster tests check from these lines that the first worker had seeded and resumed before another began.
console.log(`starting in ${process.pid}`);
const config = loadConfig();
if (!config.fixture) {
  config.fixture = `${config.db}.fixture.json`;
  // Written once, before any worker is forked.
  if (cluster.isPrimary) writeFileSync(config.fixture, JSON.stringify(browserFixture()));
}
await serve(config, {
  start: (options) => startServer(config, { renderDeck: render, ...options }),
  announce(running) {
    if (running.seeded) console.log(`seeded in ${process.pid}`);
    if (running.resumed) console.log(`resuming ${running.resumed} export(s) interrupted by the last stop`);
  },
}).catch((error) => {
  console.error('cannot start:', error);
  process.exit(1);
});
