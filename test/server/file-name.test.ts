/**
 * A deck's download name keeps the lesson title's words in any script (an
 * Arabic or Hebrew title is not `lesson.pptx`), and its Content-Disposition
 * is a valid header over real HTTP: a Latin-1 `filename=` and the real name in
 * `filename*`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { asciiFileName, deckFileName } from '../../components/internal/deck-file-name.js';
import { EMAIL, ID } from '../fixtures/server-fixture.js';
import { startTestServer } from './support.js';

describe('deckFileName', () => {
  it('keeps letters of every script, joins words with -', () => {
    assert.equal(deckFileName('مقدمة في الأمن السحابي'), 'مقدمة-في-الأمن-السحابي.pptx');
    assert.equal(deckFileName('מבוא לאבטחת ענן'), 'מבוא-לאבטחת-ענן.pptx');
    assert.equal(deckFileName('クラウド入門 2'), 'クラウド入門-2.pptx');
    assert.equal(deckFileName('Test lesson 1'), 'Test-lesson-1.pptx');
    assert.equal(deckFileName('Café für Anfänger'), 'Café-für-Anfänger.pptx');
  });

  it('strips what is unsafe in a file name: separators, reserved and control characters, bidi controls, a leading dot', () => {
    assert.equal(deckFileName('../etc/passwd'), 'etc-passwd.pptx');
    assert.equal(deckFileName('a<b>c:d"e\\f|g?h*i'), 'a-b-c-d-e-f-g-h-i.pptx');
    assert.equal(deckFileName('report\u202Egnp.exe'), 'report-gnp.exe.pptx');
    assert.equal(deckFileName('tab\there\u0000nul\u200Fmark'), 'tab-here-nul-mark.pptx');
    assert.equal(deckFileName('.hidden'), 'hidden.pptx');
    assert.equal(deckFileName('🙂 ★ ✓'), 'lesson.pptx');
    assert.equal(deckFileName(''), 'lesson.pptx');
    assert.equal([...deckFileName('ש'.repeat(200))].length, 80 + '.pptx'.length);
  });

  it('has a Latin-1 fallback for the plain filename= parameter', () => {
    assert.equal(asciiFileName('Café-für-Anfänger.pptx'), 'Cafe-fur-Anfanger.pptx');
    assert.equal(asciiFileName('מבוא-ענן.pptx'), '____-___.pptx');
  });
});

describe('the deck file of an Arabic lesson over real HTTP', () => {
  let s: Awaited<ReturnType<typeof startTestServer>>;
  before(async () => (s = await startTestServer()));
  after(() => s.close(100));

  it('is served with filename*=UTF-8 naming the Arabic title, and an ASCII filename=', async () => {
    const title = 'مقدمة في الأمن';
    await s.sql('UPDATE lessons SET title = ? WHERE id = ?', title, ID.lessonA);
    const cookie = await s.signIn(EMAIL.a);
    const dispatched = await fetch(`${s.url}/api/exports/pptx`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ lessonId: ID.lessonA, cacheKey: 'arabic' }),
    });
    const { job } = (await dispatched.json()) as { job: { id: string } };
    await s.exports.idle();
    const file = await fetch(`${s.url}/api/exports/pptx/files/${job.id}.pptx`, { headers: { cookie } });
    assert.equal(file.status, 200);
    const disposition = file.headers.get('content-disposition')!;
    const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
    assert.equal(decodeURIComponent(encoded!), 'مقدمة-في-الأمن.pptx');
    assert.match(disposition, /^attachment; filename="_+-_+-_+\.pptx"/);
  });
});
