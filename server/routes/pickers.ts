import { Hono, type Context } from 'hono';
import { TRIGGER_TYPES } from '../../components/internal/trigger-types.js';
import type { Db } from '../db/database.js';
import type { AppEnv } from '../env.js';
import type { AnswerCache } from '../answer-cache.js';
import { ResponseCache } from './response-cache.js';

interface SpecializationRow {
  id: string;
  title: string;
  description: string;
  is_published: number;
  created_at: string;
  updated_at: string;
}
interface TrainingRow extends SpecializationRow {
  tags: string;
  specialization_id: string | null;
  duration_minutes: number | null;
}

// `title COLLATE NOCASE, id`: alphabetical ignoring case (apple < Banana < cherry), ties by id.
const ORDER = 'ORDER BY title COLLATE NOCASE, id';
const TRIGGER_TYPE_BODY = { triggerTypes: TRIGGER_TYPES.map(({ type, description }) => ({ type, description })) };

/**
 * `/api/workflow-pickers`: the building blocks of a workflow, published records
 * of the active organisation only. Responses carry an ETag; `no-cache` makes
 * browsers revalidate every time, which a matching `If-None-Match` answers with 304.
 *
 * Bodies, and their brotli and gzip codings, are cached until the data
 * changes (ResponseCache, dataVersion), and the 304 is answered from the
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
export function pickerRoutes(db: Db, answers: AnswerCache) {
  const cache = new ResponseCache();
  const respond = (c: Context<AppEnv>, route: string, build: (organizationId: string) => unknown) => {
    const organizationId = c.get('organizationId');
    return answers.respond(
      c,
      cache.get(`${route}:${organizationId}`, c.get('dataVersion'), () => build(organizationId)),
    );
  };

  const sql = {
    specializations: db.prepare<[string], SpecializationRow>(
      `SELECT id, title, description, is_published, created_at, updated_at FROM specializations
       WHERE organization_id = ? AND is_published = 1 ${ORDER}`,
    ),
    trainings: db.prepare<[string], TrainingRow>(
      `SELECT id, title, description, tags, specialization_id, duration_minutes, is_published, created_at, updated_at
       FROM trainings WHERE organization_id = ? AND is_published = 1 ${ORDER}`,
    ),
    // Trimmed of spaces, tabs and line breaks; empty ones dropped; each once.
    tags: db.prepare<[string], { tag: string }>(
      `SELECT DISTINCT trim(j.value, ' ' || char(9, 10, 13)) AS tag
       FROM trainings t, json_each(t.tags) j
       WHERE t.organization_id = ? AND t.is_published = 1 AND j.type = 'text' AND tag <> ''
       ORDER BY tag COLLATE NOCASE, tag`,
    ),
    partnerStages: db.prepare<[string], { id: string; name: string }>(
      'SELECT id, name FROM partner_stages WHERE organization_id = ? ORDER BY position, name COLLATE NOCASE, id',
    ),
  };

  return new Hono<AppEnv>()
    .get('/specializations', (c) =>
      respond(c, 'specializations', (organizationId) => ({
        specializations: sql.specializations.all(organizationId).map((r) => ({
          id: r.id,
          title: r.title,
          description: r.description,
          isPublished: r.is_published === 1,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        })),
      })),
    )
    .get('/trainings', (c) =>
      respond(c, 'trainings', (organizationId) => ({
        trainings: sql.trainings.all(organizationId).map((r) => ({
          id: r.id,
          title: r.title,
          description: r.description,
          tags: JSON.parse(r.tags) as string[],
          specializationId: r.specialization_id,
          durationMinutes: r.duration_minutes,
          isPublished: r.is_published === 1,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        })),
      })),
    )
    .get('/training-tags', (c) =>
      respond(c, 'training-tags', (organizationId) => ({ tags: sql.tags.all(organizationId).map((r) => r.tag) })),
    )
    .get('/trigger-types', (c) => respond(c, 'trigger-types', () => TRIGGER_TYPE_BODY))
    .get('/partner-stages', (c) =>
      respond(c, 'partner-stages', (organizationId) => ({ partnerStages: sql.partnerStages.all(organizationId) })),
    );
}
