import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { TRIGGER_TYPES } from '../../components/internal/trigger-types.js';
import type { Db } from '../db/database.js';
import type { AppEnv } from '../env.js';
import type { AnswerReplay } from '../answer-replay.js';
import type { SecurityHeaders } from '../security-headers.js';
import { ifNoneMatch } from './if-none-match.js';
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
const CACHE_CONTROL = 'private, no-cache';
const TRIGGER_TYPE_BODY = { triggerTypes: TRIGGER_TYPES.map(({ type, description }) => ({ type, description })) };

/**
 * `/api/workflow-pickers`: the building blocks of a workflow, published records
 * of the active organisation only. Responses carry an ETag; `no-cache` makes
 * browsers revalidate every time, which a matching `If-None-Match` answers with 304.
 *
 * Bodies are cached until the data changes (ResponseCache, dataVersion), and
 * the 304 is answered here from the cached ETag rather than by Hono's etag
 * middleware: that middleware builds the full response first and then cancels
 * its body, which on @hono/node-server copies the whole body into a real
 * Response — measured at 20× the cost of the 304 itself (see BENCHMARKS.md).
 * Each answer is also handed to `replay`, which answers the same request
 * again in front of Hono while nothing has changed (answer-replay.ts).
 *
 * `/partner-stages` is this reference server's own route, not one of
 * PartnerOS's documented pickers: the organisation's partner lifecycle stages
 * (the names are each organisation's own), for a stage picker to offer.
 */
export function pickerRoutes(db: Db, security: SecurityHeaders, replay?: AnswerReplay) {
  const cache = new ResponseCache();
  const respond = (c: Context<AppEnv>, route: string, build: (organizationId: string) => unknown) => {
    const organizationId = c.get('organizationId');
    const version = c.get('dataVersion');
    const { body, etag } = cache.get(`${route}:${organizationId}`, version, () => build(organizationId));
    // Plain header objects and one response object: these answers are the
    // API's hottest path (see security-headers.ts and BENCHMARKS.md).
    const notModified = { ETag: etag, 'Cache-Control': CACHE_CONTROL };
    const ok = { ...notModified, 'Content-Type': 'application/json' };
    replay?.remember((c.env as Partial<HttpBindings> | undefined)?.incoming, c.req.path, {
      version,
      expiresAtMs: Date.parse(c.get('session').expiresAt),
      etag,
      body,
      headers: { ...security.headers, ...ok },
      notModifiedHeaders: { ...security.headers, ...notModified },
    });
    if (ifNoneMatch(c.req.header('If-None-Match'), etag)) return security.secured(null, 304, notModified);
    return security.secured(body, 200, ok);
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
