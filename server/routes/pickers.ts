import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { TRIGGER_TYPES } from '../../components/internal/trigger-types.js';
import type { Db } from '../db/database.js';
import type { AppEnv } from '../env.js';

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
 */
export function pickerRoutes(db: Db) {
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
  };

  return new Hono<AppEnv>()
    .use('*', etag(), async (c, next) => {
      await next();
      c.header('Cache-Control', 'private, no-cache');
    })
    .get('/specializations', (c) =>
      c.json({
        specializations: sql.specializations.all(c.get('organizationId')).map((r) => ({
          id: r.id,
          title: r.title,
          description: r.description,
          isPublished: r.is_published === 1,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        })),
      }),
    )
    .get('/trainings', (c) =>
      c.json({
        trainings: sql.trainings.all(c.get('organizationId')).map((r) => ({
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
      }),
    )
    .get('/training-tags', (c) => c.json({ tags: sql.tags.all(c.get('organizationId')).map((r) => r.tag) }))
    .get('/trigger-types', (c) => c.json(TRIGGER_TYPE_BODY));
}
