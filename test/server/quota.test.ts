import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, type ServerConfig } from '../../server/config.js';
import { stableUuid } from '../../server/db/demo-data.js';
import type { FixtureInput } from '../../server/db/fixture.js';
import { EMAIL, ID, serverFixture } from '../fixtures/server-fixture.js';
import { startTestServer } from './support.js';

// Over real HTTP. Every export generated here costs 3 cents (the renderer below),
// whatever the real deck costs; spending from before the start comes from the fixture.
const COST = 3;
const renderDeck = async () => ({ bytes: Buffer.from('PK'), slideCount: 1, costCents: COST, model: 'test-renderer' });

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const now = new Date();
const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
const thisMonth = `${MONTHS[now.getUTCMonth()]} ${now.getUTCFullYear()}`;
const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
const renews = `It renews on 1 ${MONTHS[nextMonth.getUTCMonth()]} ${nextMonth.getUTCFullYear()}; exports already made can still be downloaded.`;

/** A completed export of org A's `lessonDone` (fresh: created after the lesson's update), finished at `completedAt`. */
const spent = (name: string, costCents: number, completedAt: Date, organizationId: string = ID.orgA) => ({
  id: stableUuid(`quota:${name}`),
  organizationId,
  lessonId: organizationId === ID.orgA ? ID.lessonDone : ID.lessonB,
  cacheKey: name,
  status: 'completed' as const,
  costCents,
  model: 'fixture-model',
  createdAt: completedAt.toISOString(),
  completedAt: completedAt.toISOString(),
});

function fixtureWith(...exports: ReturnType<typeof spent>[]): FixtureInput {
  const f = serverFixture();
  f.exports!.push(...exports);
  return f;
}

async function server(overrides: Partial<ServerConfig>, fixture: FixtureInput) {
  const s = await startTestServer(overrides, { fixture, renderDeck });
  const cookies = { a: await s.signIn(EMAIL.a), b: await s.signIn(EMAIL.b) };
  const post = async (path: string, body: unknown, cookie = cookies.a) => {
    const response = await fetch(`${s.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
    return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Record<string, any> };
  };
  const dispatch = (lessonId: string, cacheKey: string, cookie = cookies.a) => post('/api/exports/pptx', { lessonId, cacheKey }, cookie);
  return { s, post, dispatch, cookies };
}

const refusal = (spentCents: number, allowance: number) => ({
  error: `This organisation's export allowance for ${thisMonth} is used up (spent ${spentCents} of ${allowance} cents). ${renews}`,
  code: 'quota_exceeded',
});

describe('the export allowance (POS_EXPORT_QUOTA_CENTS)', () => {
  it('is off unless set: a whole number ≥ 0 from the environment or --export-quota-cents', async () => {
    assert.equal(loadConfig({}, []).exportQuotaCents, undefined);
    assert.equal(loadConfig({ POS_EXPORT_QUOTA_CENTS: '250' }, []).exportQuotaCents, 250);
    assert.equal(loadConfig({ POS_EXPORT_QUOTA_CENTS: '0' }, []).exportQuotaCents, 0);
    assert.equal(loadConfig({ POS_EXPORT_QUOTA_CENTS: '250' }, ['--export-quota-cents', '40']).exportQuotaCents, 40);
    assert.throws(
      () => loadConfig({ POS_EXPORT_QUOTA_CENTS: '-1' }, []),
      (e: Error) => e instanceof ConfigError && /POS_EXPORT_QUOTA_CENTS must be a whole number ≥ 0/.test(e.message),
    );
    assert.throws(() => loadConfig({}, ['--export-quota-cents', '2.5']), /--export-quota-cents must be a whole number ≥ 0/);

    // Unset, nothing is refused, whatever was spent.
    const { s, dispatch } = await server({}, fixtureWith(spent('huge', 1_000_000, now)));
    try {
      assert.equal((await dispatch(ID.lessonA, 'no-quota')).status, 202);
    } finally {
      await s.close();
    }
  });

  it('refuses a dispatch with 402 quota_exceeded once the month’s spending has reached it; the one before may go over', async () => {
    const { s, dispatch } = await server({ exportQuotaCents: 10 }, fixtureWith(spent('six', 6, now), spent('one', 1, monthStart)));
    try {
      // 7 of 10 spent: accepted, and it takes the month to 10.
      assert.equal((await dispatch(ID.lessonA, 'under')).status, 202);
      await s.exports.idle();
      const reached = await dispatch(ID.lessonA, 'reached');
      assert.equal(reached.status, 402);
      assert.equal(reached.type, 'application/json');
      assert.deepEqual(reached.body, refusal(10, 10));
      assert.equal(
        await s.sqlValue("SELECT COUNT(*) AS n FROM export_jobs WHERE cache_key = 'reached'"),
        0,
        'no job for a refused dispatch',
      );
    } finally {
      await s.close();
    }

    // Refused once reached, not once the next export's (unknown) cost would pass it: 9 of 10 goes to 12.
    const over = await server({ exportQuotaCents: 10 }, fixtureWith(spent('nine', 9, now)));
    try {
      assert.equal((await over.dispatch(ID.lessonA, 'last')).status, 202);
      await over.s.exports.idle();
      assert.deepEqual((await over.dispatch(ID.lessonA, 'after')).body, refusal(12, 10));
    } finally {
      await over.s.close();
    }
  });

  it('answers a cache hit with 200 even when the allowance is spent, and the hit costs nothing', async () => {
    const { s, dispatch } = await server({ exportQuotaCents: 10 }, fixtureWith(spent('paid', 10, now)));
    try {
      assert.deepEqual((await dispatch(ID.lessonA, 'new')).body, refusal(10, 10));
      const hit = await dispatch(ID.lessonDone, 'paid');
      assert.equal(hit.status, 200);
      assert.equal(hit.body.job.id, stableUuid('quota:paid'));
      assert.equal(hit.body.job.status, 'completed');
      assert.equal((await dispatch(ID.lessonDone, 'paid')).status, 200);
      assert.deepEqual((await dispatch(ID.lessonA, 'new')).body, refusal(10, 10), 'still 10 spent after two hits');
    } finally {
      await s.close();
    }
  });

  it('counts each organisation’s spending on its own', async () => {
    const { s, dispatch, cookies } = await server(
      { exportQuotaCents: 10 },
      fixtureWith(spent('a-spent', 10, now), spent('b-little', 2, now, ID.orgB)),
    );
    try {
      assert.equal((await dispatch(ID.lessonA, 'a')).status, 402);
      assert.equal((await dispatch(ID.lessonB, 'b', cookies.b)).status, 202);
    } finally {
      await s.close();
    }
  });

  it('starts afresh each calendar month (UTC): last month’s spending does not count', async () => {
    const lastMs = new Date(monthStart.getTime() - 1);
    const { s, dispatch } = await server(
      { exportQuotaCents: 10 },
      fixtureWith(spent('last-month', 1000, lastMs), spent('first-ms', 8, monthStart)),
    );
    try {
      // 1000 cents up to the last millisecond of last month: not this month's. 8 from its first millisecond: this month's.
      assert.equal((await dispatch(ID.lessonA, 'fresh-month')).status, 202);
      await s.exports.idle();
      assert.deepEqual((await dispatch(ID.lessonA, 'then')).body, refusal(8 + COST, 10));
    } finally {
      await s.close();
    }
  });

  describe('demo controls', () => {
    it('exhaust-quota uses up the active organisation’s allowance; reset-quota gives it back', async () => {
      const { s, post, dispatch, cookies } = await server(
        { exportQuotaCents: 50, demoControls: true },
        fixtureWith(spent('demo-paid', 4, now)),
      );
      try {
        const month = monthStart.toISOString().slice(0, 7);
        const exhausted = await post('/api/demo/exhaust-quota', {});
        assert.equal(exhausted.status, 200);
        assert.deepEqual(exhausted.body, { quota: { month, allowanceCents: 50, spentCents: 50 } });
        assert.deepEqual((await dispatch(ID.lessonA, 'demo')).body, refusal(50, 50));
        assert.equal((await dispatch(ID.lessonDone, 'demo-paid')).status, 200, 'a cache hit still');
        assert.equal((await dispatch(ID.lessonB, 'other-org', cookies.b)).status, 202, 'another organisation is not touched');

        assert.deepEqual((await post('/api/demo/reset-quota', {})).body, { quota: { month, allowanceCents: 50, spentCents: 0 } });
        assert.equal((await dispatch(ID.lessonA, 'demo')).status, 202);
        await s.exports.idle();
        // Spending after the reset counts again.
        assert.deepEqual((await post('/api/demo/exhaust-quota', {})).body, { quota: { month, allowanceCents: 50, spentCents: 50 } });
        assert.deepEqual((await post('/api/demo/reset-quota', {})).body.quota.spentCents, 0);
      } finally {
        await s.close();
      }
    });

    it('answer 400 on a server without an allowance, and do not exist without --demo-controls', async () => {
      const off = await server({ demoControls: true }, serverFixture());
      try {
        const response = await off.post('/api/demo/exhaust-quota', {});
        assert.equal(response.status, 400);
        assert.deepEqual(response.body, {
          error: 'This server has no export allowance (POS_EXPORT_QUOTA_CENTS is not set): there is nothing to exhaust or reset.',
          code: 'invalid_request',
        });
      } finally {
        await off.s.close();
      }
      const plain = await server({ exportQuotaCents: 50 }, serverFixture());
      try {
        assert.equal((await plain.post('/api/demo/exhaust-quota', {})).status, 404);
      } finally {
        await plain.s.close();
      }
    });
  });
});
