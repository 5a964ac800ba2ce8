import type { Session } from './auth/sessions.js';
import type { CachedBody } from './routes/response-cache.js';

/** Hono's typed context variables, set by the auth middleware. */
export interface AppEnv {
  Variables: {
    session: Session;
    /** The active organisation of the session: every query is scoped to it. */
    organizationId: string;
    /** The database's data version, read once per request (storage.changes.version). */
    dataVersion: string;
    /** A picker answer the route offers the answer cache (answer-cache.ts). */
    answer: CachedBody;
  };
}
