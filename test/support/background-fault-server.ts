/**
 * The reference server as a child process for test/server/background-failures.test.ts:
 * real HTTP, a real SQLite file (POS_DB) seeded with the server fixture, and no
 * process-level guard (main.ts installs one; the tests must pass without it).
 * The lesson titled "Failed lesson" always fails to render; with
 * FAULT_READONLY=1 its renderer first makes the server's own connection
 * read-only (`PRAGMA query_only`), as a database that turned read-only (or a
 * full disk) between the start of the generation and the failure mark.
 * Prints `resumed N` and `listening on URL` when ready; SIGTERM shuts down gracefully.
 */
import { loadConfig } from '../../server/config.js';
import { renderLessonDeck, type LessonContent } from '../../server/exports/deck.js';
import { startServer } from '../../server/server.js';
import type { SqliteStorage } from '../../server/storage/sqlite.js';
import { serverFixture } from '../fixtures/server-fixture.js';

async function render(lesson: LessonContent) {
  if (lesson.title === 'Failed lesson') {
    if (process.env.FAULT_READONLY === '1') (running.storage as SqliteStorage).db.pragma('query_only = ON');
    throw new Error('the renderer crashed on purpose');
  }
  return renderLessonDeck(lesson);
}

const running = await startServer(loadConfig(), { fixture: serverFixture(), renderDeck: render });
console.log(`resumed ${running.resumed}`);
console.log(`listening on ${running.url}`);
process.once('SIGTERM', () => void running!.close(2000).then(() => process.exit(0)));
