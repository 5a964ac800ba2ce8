import { Hono } from 'hono';
import type { Db } from '../db/database.js';
import type { AppEnv } from '../env.js';

/** `/api/enablement`: the lessons a PPTX export can be made of. */
export function lessonRoutes(db: Db) {
  const lessons = db.prepare<[string], { id: string; title: string; updatedAt: string }>(
    'SELECT id, title, updated_at AS updatedAt FROM lessons WHERE organization_id = ? ORDER BY title COLLATE NOCASE, id',
  );
  return new Hono<AppEnv>().get('/lessons', (c) => c.json({ lessons: lessons.all(c.get('organizationId')) }));
}
