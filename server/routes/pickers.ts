import { Hono, type Context } from 'hono';
import { TRIGGER_TYPES } from '../../components/internal/trigger-types.js';
import type { AppEnv } from '../env.js';
import type { AnswerCache } from '../answer-cache.js';
import type { Storage } from '../storage/storage.js';
import { ResponseCache } from './response-cache.js';

const TRIGGER_TYPE_BODY = { triggerTypes: TRIGGER_TYPES.map(({ type, description }) => ({ type, description })) };

/**
 * `/api/workflow-pickers`: the building blocks of a workflow, published records
 * of the active organisation only. Responses carry an ETag; `no-cache` makes
 * browsers revalidate every time, which a matching `If-None-Match` answers with 304.
 *
 * Bodies, and their brotli and gzip codings, are cached until the data
 * changes (ResponseCache, storage.changes.version), and the 304 is answered from the
 * cached ETag rather than by Hono's etag middleware: that middleware builds
 * the full response first and then cancels its body, which on
 * @hono/node-server copies the whole body into a real Response — measured at
 * 20× the cost of the 304 itself (see BENCHMARKS.md). `answers` writes the
 * response and serves the same request again at the front of the chain while
 * nothing has changed (answer-cache.ts).
 *
 * `/partner-stages` is this reference server's own route, not one of
 * PartnerOS's documented pickers: the organisation's partner lifecycle stages
 * (the names are each organisation's own), for a stage picker to offer.
 */
export function pickerRoutes(storage: Storage, answers: AnswerCache) {
  const cache = new ResponseCache();
  const respond = async (c: Context<AppEnv>, route: string, build: (organizationId: string) => Promise<unknown>) => {
    const organizationId = c.get('organizationId');
    return answers.respond(c, await cache.get(`${route}:${organizationId}`, c.get('dataVersion'), () => build(organizationId)));
  };
  const { pickers } = storage;

  return new Hono<AppEnv>()
    .get('/specializations', (c) =>
      respond(c, 'specializations', async (organizationId) => ({ specializations: await pickers.specializations(organizationId) })),
    )
    .get('/trainings', (c) => respond(c, 'trainings', async (organizationId) => ({ trainings: await pickers.trainings(organizationId) })))
    .get('/training-tags', (c) =>
      respond(c, 'training-tags', async (organizationId) => ({ tags: await pickers.trainingTags(organizationId) })),
    )
    .get('/trigger-types', (c) => respond(c, 'trigger-types', async () => TRIGGER_TYPE_BODY))
    .get('/partner-stages', (c) =>
      respond(c, 'partner-stages', async (organizationId) => ({ partnerStages: await pickers.partnerStages(organizationId) })),
    );
}
