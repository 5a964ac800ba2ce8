import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TRIGGER_TYPES } from '../../components/internal/trigger-types.js';
import { EMAIL, ID } from '../fixtures/server-fixture.js';
import { createTestApp } from './support.js';

describe('workflow picker endpoints', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let a: string;
  let b: string;
  before(async () => {
    t = await createTestApp();
    a = await t.signIn(EMAIL.a);
    b = await t.signIn(EMAIL.b);
  });
  after(() => t.close());

  const json = async (path: string, cookie: string) => {
    const response = await t.get(path, cookie);
    assert.equal(response.status, 200, await response.clone().text());
    return response.json() as Promise<Record<string, unknown[]>>;
  };

  describe('GET /api/workflow-pickers/specializations', () => {
    it('lists published specializations of the active organization, case-insensitively by title, ties by id', async () => {
      const { specializations } = await json('/api/workflow-pickers/specializations', a);
      assert.deepEqual(
        (specializations as { id: string; title: string }[]).map((s) => [s.title, s.id]),
        [
          ['apple', ID.specApple],
          ['banana', ID.specBananaTwin],
          ['Banana', ID.specBanana],
          ['cherry', ID.specCherry],
        ],
      );
    });

    it('returns the contract fields and never drafts', async () => {
      const { specializations } = await json('/api/workflow-pickers/specializations', a);
      assert.deepEqual(specializations[0], {
        id: ID.specApple,
        title: 'apple',
        description: 'About apple',
        isPublished: true,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      });
      assert.ok(!JSON.stringify(specializations).includes(ID.specDraft));
    });

    it('shows another organization nothing of the first', async () => {
      const { specializations } = await json('/api/workflow-pickers/specializations', b);
      assert.deepEqual(
        (specializations as { id: string }[]).map((s) => s.id),
        [ID.specB],
      );
    });
  });

  describe('GET /api/workflow-pickers/trainings', () => {
    it('lists published trainings in title order with the contract fields', async () => {
      const { trainings } = await json('/api/workflow-pickers/trainings', a);
      assert.deepEqual(
        (trainings as { id: string }[]).map((x) => x.id),
        [ID.trainingApple, ID.trainingBanana, ID.trainingCherry],
      );
      assert.deepEqual(Object.keys(trainings[0] as object).sort(), [
        'createdAt',
        'description',
        'durationMinutes',
        'id',
        'isPublished',
        'specializationId',
        'tags',
        'title',
        'updatedAt',
      ]);
      assert.deepEqual((trainings[0] as { tags: string[] }).tags, ['onboarding', 'Technical', '   ']);
    });

    it('keeps organizations apart', async () => {
      const { trainings } = await json('/api/workflow-pickers/trainings', b);
      assert.deepEqual(
        (trainings as { id: string }[]).map((x) => x.id),
        [ID.trainingB],
      );
    });
  });

  describe('GET /api/workflow-pickers/training-tags', () => {
    it('trims, drops empty tags and duplicates, ignores drafts, and sorts case-insensitively', async () => {
      const { tags } = await json('/api/workflow-pickers/training-tags', a);
      assert.deepEqual(tags, ['advanced', 'onboarding', 'Sales', 'Technical']);
    });

    it('keeps organizations apart', async () => {
      assert.deepEqual((await json('/api/workflow-pickers/training-tags', b)).tags, ['b-tag']);
    });
  });

  describe('GET /api/workflow-pickers/trigger-types', () => {
    it('lists the 18 trigger types of the contract in its order', async () => {
      const { triggerTypes } = await json('/api/workflow-pickers/trigger-types', a);
      assert.equal(triggerTypes.length, 18);
      assert.deepEqual(triggerTypes[0], { type: 'partner_created', description: 'Fires when a new partner record is created.' });
      assert.deepEqual(triggerTypes.at(-1), { type: 'manual', description: 'No automatic trigger; the workflow is invoked on demand.' });
      assert.deepEqual(
        (triggerTypes as { type: string }[]).map((x) => x.type),
        TRIGGER_TYPES.map((x) => x.type),
      );
    });
  });

  describe('caching', () => {
    for (const path of ['specializations', 'trainings', 'training-tags', 'trigger-types']) {
      it(`${path}: ETag, Cache-Control private/no-cache, 304 on If-None-Match`, async () => {
        const first = await t.get(`/api/workflow-pickers/${path}`, a);
        const tag = first.headers.get('etag');
        assert.match(tag ?? '', /^(W\/)?"[^"]+"$/);
        assert.equal(first.headers.get('cache-control'), 'private, no-cache');
        const second = await t.get(`/api/workflow-pickers/${path}`, a, { 'if-none-match': tag! });
        assert.equal(second.status, 304);
        assert.equal(await second.text(), '');
        assert.equal(second.headers.get('etag'), tag);
        const stale = await t.get(`/api/workflow-pickers/${path}`, a, { 'if-none-match': '"something-else"' });
        assert.equal(stale.status, 200);
      });
    }

    it('changes the ETag the moment the data changes', async () => {
      const before = (await t.get('/api/workflow-pickers/trainings', a)).headers.get('etag')!;
      await t.sql('UPDATE trainings SET title = ? WHERE id = ?', 'apple (renamed)', ID.trainingApple);
      const changed = await t.get('/api/workflow-pickers/trainings', a, { 'if-none-match': before });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.get('etag'), before);
      await t.sql('UPDATE trainings SET title = ? WHERE id = ?', 'apple', ID.trainingApple);
    });

    it('gives two organizations different ETags', async () => {
      const ea = (await t.get('/api/workflow-pickers/trainings', a)).headers.get('etag');
      const eb = (await t.get('/api/workflow-pickers/trainings', b)).headers.get('etag');
      assert.notEqual(ea, eb);
    });
  });

  describe('GET /api/enablement/lessons', () => {
    it('lists the active organization’s lessons by title', async () => {
      const { lessons } = await json('/api/enablement/lessons', a);
      assert.deepEqual(
        (lessons as { title: string }[]).map((l) => l.title),
        ['Another lesson', 'Done lesson', 'Failed lesson', 'Lesson A'],
      );
      assert.deepEqual(Object.keys(lessons[0] as object), ['id', 'title', 'updatedAt']);
      assert.deepEqual(
        ((await json('/api/enablement/lessons', b)).lessons as { id: string }[]).map((l) => l.id),
        [ID.lessonB],
      );
    });
  });
});
