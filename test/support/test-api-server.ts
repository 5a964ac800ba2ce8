/**
 * The reference server as the browser tests run it: the real app over real
 * HTTP and a real SQLite file, seeded with the browser fixture, with a
 * renderer that misbehaves on purpose for lessons whose title asks for it.
 * Started as a child process by web-test-runner.config.mjs, so tests can stop
 * and restart it. Prints `listening on URL` when ready.
 */
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../server/config.js';
import { renderLessonDeck, type LessonContent } from '../../server/exports/deck.js';
import { startServer } from '../../server/server.js';
import { browserFixture } from '../fixtures/browser-fixture.js';
import { LESSON_BEHAVIOUR } from '../fixtures/test-users.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function render(lesson: LessonContent) {
  if (lesson.title.startsWith(LESSON_BEHAVIOUR.fail)) throw new Error('the renderer crashed on purpose');
  if (lesson.title.startsWith(LESSON_BEHAVIOUR.slow)) await sleep(1500);
  if (lesson.title.startsWith(LESSON_BEHAVIOUR.hang)) await sleep(24 * 60 * 60 * 1000);
  return renderLessonDeck(lesson);
}

const config = loadConfig();
if (!config.fixture) {
  config.fixture = `${config.db}.fixture.json`;
  writeFileSync(config.fixture, JSON.stringify(browserFixture()));
}
const running = await startServer(config, { renderDeck: render });
console.log(`listening on ${running.url}`);
// SIGKILL from a test is a crash; SIGTERM a graceful shutdown, as in production.
process.once('SIGTERM', () => void running.close(2000).then(() => process.exit(0)));
