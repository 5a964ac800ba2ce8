import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors.js';
import type { AppEnv } from '../env.js';
import { mayUseInternalEndpoints } from './roles.js';
import type { SessionStore } from './sessions.js';

export const SESSION_COOKIE = 'session_token';

/**
 * 401 `unauthorized` without a live session; otherwise sets `session`, and
 * `dataVersion` (read once here for the whole request: the picker cache
 * checks its answers against the same value).
 */
export const requireSession = (sessions: SessionStore) =>
  createMiddleware<AppEnv>(async (c, next) => {
    await authenticate(c, sessions);
    await next();
  });

/**
 * requireSession, then 400 `no_active_organization` unless the session has
 * one, then 403 `forbidden` for a role that may not use the internal
 * management endpoints (the partner role: every route behind this middleware
 * is one, see roles.ts); otherwise also sets `organizationId`. One middleware
 * rather than three: every level of the chain is a promise per request on the
 * hottest routes. The role comes with the cached session: no query of its own.
 */
export const requireOrganization = (sessions: SessionStore) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const { activeOrganizationId: organizationId, role } = await authenticate(c, sessions);
    if (!organizationId || !role) {
      throw new ApiError('no_active_organization', 'Choose an organization first: this session has no active organization.');
    }
    if (!mayUseInternalEndpoints(role)) {
      throw new ApiError(
        'forbidden',
        `Your role (${role}) does not permit this: workflow pickers, lessons and exports are internal management endpoints.`,
      );
    }
    c.set('organizationId', organizationId);
    await next();
  });

async function authenticate(c: Context<AppEnv>, sessions: SessionStore) {
  const dataVersion = await sessions.currentVersion();
  const session = await sessions.get(getCookie(c, SESSION_COOKIE), new Date(sessions.now()), dataVersion);
  if (!session) throw new ApiError('unauthorized', 'Sign in to use the PartnerOS API: the session is missing or has expired.');
  c.set('session', session);
  c.set('dataVersion', dataVersion);
  return session;
}
