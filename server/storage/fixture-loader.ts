import { hashPassword } from '../auth/passwords.js';
import { FixtureError, parseFixture } from '../db/fixture.js';
import { deckFileName, renderLessonDeck } from '../exports/deck.js';
import type { PreparedFixture, Storage } from './storage.js';

/**
 * Checks a fixture (server/db/fixture.ts's rules and messages) and does the
 * slow work (password hashing, the decks of completed exports) before the one
 * write, so a failure leaves the database untouched. Throws FixtureError.
 */
export async function prepareFixture(raw: unknown, now = new Date()): Promise<PreparedFixture> {
  const fixture = parseFixture(raw);
  refuseNul(fixture, 'fixture');
  const passwordHashes = await Promise.all(fixture.users.map((u) => hashPassword(u.password)));
  const lessons = new Map(fixture.lessons.map((l) => [l.id, l]));
  const decks = await Promise.all(
    fixture.exports.map(async (e) => {
      if (e.status !== 'completed') return undefined;
      const lesson = lessons.get(e.lessonId)!;
      return { fileName: deckFileName(lesson.title), deck: await renderLessonDeck(lesson) };
    }),
  );
  return { fixture, loadedAt: now.toISOString(), passwordHashes, decks };
}

/** Fills an empty database from a fixture, all or nothing, on either engine. */
export async function loadFixtureInto(storage: Storage, raw: unknown, now = new Date()): Promise<void> {
  await storage.importFixture(await prepareFixture(raw, now));
}

/**
 * PostgreSQL's text cannot hold U+0000 (SQLite's can): refused on both
 * engines, so a fixture loads on either or on neither, with the field named.
 */
function refuseNul(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new FixtureError(`${path}: must not contain the character U+0000`);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => refuseNul(item, `${path}[${i}]`));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) refuseNul(item, path === 'fixture' ? key : `${path}.${key}`);
  }
}
