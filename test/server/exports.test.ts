import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import JSZip from 'jszip';
import { EMAIL, ID } from '../fixtures/server-fixture.js';
import { createTestApp } from './support.js';

const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

describe('PPTX exports', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let a: string;
  let b: string;
  before(async () => {
    t = await createTestApp(
      {},
      {
        renderDeck: async (lesson) => {
          if (lesson.title === 'Failed lesson') throw new Error('slide 2 is too large');
          const { renderLessonDeck } = await import('../../server/exports/deck.js');
          return renderLessonDeck(lesson);
        },
      },
    );
    a = await t.signIn(EMAIL.a);
    b = await t.signIn(EMAIL.b);
  });
  after(() => t.close());

  type Job = {
    id: string;
    lessonId: string;
    cacheKey: string | null;
    status: string;
    createdAt: string;
    url?: string;
    costCents?: number;
    model?: string;
    error?: string;
  };
  const dispatch = async (body: unknown, cookie = a) => {
    const response = await t.post('/api/exports/pptx', body, cookie);
    return { status: response.status, body: (await response.json()) as { job: Job; error?: string; code?: string } };
  };

  it('answers 202 with the pending job, then generates a real deck and completes the job', async () => {
    const { status, body } = await dispatch({ lessonId: ID.lessonA, cacheKey: 'k1' });
    assert.equal(status, 202);
    assert.deepEqual(Object.keys(body.job).sort(), ['cacheKey', 'createdAt', 'id', 'lessonId', 'status']);
    assert.equal(body.job.status, 'pending');
    assert.equal(body.job.lessonId, ID.lessonA);
    assert.equal(body.job.cacheKey, 'k1');
    assert.match(body.job.id, /^[0-9a-f-]{36}$/);
    await t.exports.idle();

    const row = (await t.sql('SELECT status, cost_cents, model FROM export_jobs WHERE id = ?', body.job.id))[0];
    // Title, agenda, 2 sections, summary = 5 slides; 2 + 5 cents.
    assert.deepEqual(row, { status: 'completed', cost_cents: 7, model: 'pptxgenjs-reference-renderer' });

    const file = await t.get(`/api/exports/pptx/files/${body.job.id}.pptx`, a);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), PPTX);
    assert.match(file.headers.get('content-disposition')!, /attachment; filename="Lesson-A\.pptx"/);
    const zip = await JSZip.loadAsync(await file.arrayBuffer());
    assert.ok(zip.file('ppt/presentation.xml'), 'a real PPTX holds ppt/presentation.xml');
    assert.equal(Object.keys(zip.files).filter((f) => /^ppt\/slides\/slide\d+\.xml$/.test(f)).length, 5);
    const slide3 = await zip.file('ppt/slides/slide3.xml')!.async('string');
    assert.match(slide3, /One.*First/);
    // The title slide and the footer name the organisation the service looked up.
    assert.match(await zip.file('ppt/slides/slide1.xml')!.async('string'), /<a:t>Org A<\/a:t>/);
    assert.match(await zip.file('ppt/slideLayouts/slideLayout2.xml')!.async('string'), /<a:t>Org A {2}· {2}Lesson A<\/a:t>/);
  });

  it('answers 200 with the completed job at once when a fresh one with the same lesson and cache key exists', async () => {
    const first = await dispatch({ lessonId: ID.lessonA, cacheKey: 'cache-hit' });
    await t.exports.idle();
    const second = await dispatch({ lessonId: ID.lessonA, cacheKey: 'cache-hit' });
    assert.equal(second.status, 200);
    assert.equal(second.body.job.id, first.body.job.id);
    assert.equal(second.body.job.status, 'completed');
    assert.equal(second.body.job.url, `/api/exports/pptx/files/${first.body.job.id}.pptx`);
    assert.equal(second.body.job.costCents, 7);
    // Another cache key is another export.
    assert.equal((await dispatch({ lessonId: ID.lessonA, cacheKey: 'other' })).status, 202);
    await t.exports.idle();
  });

  it('does not reuse an export made before the lesson changed', async () => {
    const first = await dispatch({ lessonId: ID.lessonA2, cacheKey: 'fresh' });
    await t.exports.idle();
    await t.sql('UPDATE lessons SET updated_at = ? WHERE id = ?', new Date(Date.now() + 1000).toISOString(), ID.lessonA2);
    const second = await dispatch({ lessonId: ID.lessonA2, cacheKey: 'fresh' });
    assert.equal(second.status, 202);
    assert.notEqual(second.body.job.id, first.body.job.id);
    await t.exports.idle();
  });

  it('marks a job failed with the renderer’s message when generation throws', async () => {
    const { body } = await dispatch({ lessonId: ID.lessonFailed });
    await t.exports.idle();
    const row = (await t.sql('SELECT status, error FROM export_jobs WHERE id = ?', body.job.id))[0];
    assert.deepEqual(row, { status: 'failed', error: 'The export failed: slide 2 is too large' });
    assert.equal((await t.get(`/api/exports/pptx/files/${body.job.id}.pptx`, a)).status, 404);
  });

  it('generates at most exportConcurrency decks at a time', async () => {
    let running = 0;
    let peak = 0;
    const slow = await createTestApp(
      { exportConcurrency: 2 },
      {
        renderDeck: async () => {
          peak = Math.max(peak, ++running);
          await new Promise((r) => setTimeout(r, 30));
          running--;
          return { bytes: Buffer.from('PK'), slideCount: 1, costCents: 3, model: 'test' };
        },
      },
    );
    const cookie = await slow.signIn(EMAIL.a);
    for (let i = 0; i < 6; i++) await slow.post('/api/exports/pptx', { lessonId: ID.lessonA, cacheKey: `c${i}` }, cookie);
    await slow.exports.idle();
    slow.close();
    assert.equal(peak, 2);
  });

  describe('refuses', () => {
    for (const [what, body, status, code] of [
      ['a missing lessonId', {}, 400, 'invalid_request'],
      ['a lessonId that is not a UUID', { lessonId: 'lesson-1' }, 400, 'invalid_request'],
      ['a cacheKey over 200 characters', { lessonId: ID.lessonA, cacheKey: 'x'.repeat(201) }, 400, 'invalid_request'],
      ['another organization’s lesson', { lessonId: ID.lessonB }, 404, 'not_found'],
      ['an unknown lesson', { lessonId: '99999999-0000-4000-8000-000000000000' }, 404, 'not_found'],
    ] as const) {
      it(`${what} with ${status} ${code}`, async () => {
        const response = await dispatch(body);
        assert.equal(response.status, status);
        assert.equal(response.body.code, code);
        assert.equal(typeof response.body.error, 'string');
      });
    }
  });

  describe('GET /api/exports/pptx/files/:file', () => {
    it('serves a fixture’s completed export as a generated deck', async () => {
      const file = await t.get(`/api/exports/pptx/files/${ID.jobDone}.pptx`, a);
      assert.equal(file.status, 200);
      const zip = await JSZip.loadAsync(await file.arrayBuffer());
      assert.ok(zip.file('ppt/presentation.xml'));
    });

    it('is a 404 for another organization, a pending or failed job, and path tricks', async () => {
      assert.equal((await t.get(`/api/exports/pptx/files/${ID.jobDone}.pptx`, b)).status, 404);
      for (const path of [
        `${ID.jobFailed}.pptx`,
        `${ID.jobPendingElsewhere}.pptx`,
        `${ID.jobDone}.zip`,
        `${ID.jobDone}`,
        `..%2F..%2F${ID.jobDone}.pptx`,
        `%2e%2e%2f${ID.jobDone}.pptx`,
        `${ID.jobDone}.pptx.pptx`,
        `${ID.jobDone}.PPTX`,
      ]) {
        const response = await t.get(`/api/exports/pptx/files/${path}`, a);
        assert.equal(response.status, 404, path);
        assert.equal(((await response.json()) as { code: string }).code, 'not_found');
      }
    });
  });
});

describe('demo controls (--demo-controls)', () => {
  it('make the organization’s next export fail, or never finish, once', async () => {
    const t = await createTestApp({ demoControls: true });
    const cookie = await t.signIn(EMAIL.a);
    const dispatch = async (cacheKey: string) =>
      ((await (await t.post('/api/exports/pptx', { lessonId: ID.lessonA, cacheKey }, cookie)).json()) as { job: { id: string } }).job.id;
    const status = async (id: string) => (await t.sql('SELECT status, error FROM export_jobs WHERE id = ?', id))[0];

    assert.equal((await t.post('/api/demo/next-export', { behaviour: 'fail' }, cookie)).status, 200);
    const failed = await dispatch('demo-fail');
    const normal = await dispatch('demo-normal');
    assert.equal((await t.post('/api/demo/next-export', { behaviour: 'hang' }, cookie)).status, 200);
    const hanging = await dispatch('demo-hang');
    await t.exports.idle();
    assert.deepEqual(await status(failed), { status: 'failed', error: 'The export failed: the demo asked this export to fail' });
    assert.deepEqual(await status(normal), { status: 'completed', error: null });
    assert.deepEqual(await status(hanging), { status: 'pending', error: null });
    assert.equal((await t.post('/api/demo/next-export', { behaviour: 'explode' }, cookie)).status, 400);
    // Armed, then disarmed: the next export runs normally.
    await t.post('/api/demo/next-export', { behaviour: 'fail' }, cookie);
    assert.equal((await t.post('/api/demo/next-export', { behaviour: 'none' }, cookie)).status, 200);
    const afterDisarm = await dispatch('demo-disarmed');
    await t.exports.idle();
    assert.deepEqual(await status(afterDisarm), { status: 'completed', error: null });
    t.close();
  });

  it('do not exist without the flag', async () => {
    const t = await createTestApp();
    const cookie = await t.signIn(EMAIL.a);
    assert.equal((await t.post('/api/demo/next-export', { behaviour: 'fail' }, cookie)).status, 404);
    t.close();
  });
});
