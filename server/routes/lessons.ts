import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import type { Storage } from '../storage/storage.js';

/** `/api/enablement`: the lessons a PPTX export can be made of. */
export function lessonRoutes(storage: Storage) {
  return new Hono<AppEnv>().get('/lessons', async (c) => c.json({ lessons: await storage.lessons.list(c.get('organizationId')) }));
}
