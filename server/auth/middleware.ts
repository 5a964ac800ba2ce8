import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors.js';
import type { AppEnv } from '../env.js';
import type { SessionStore } from './sessions.js';

export const SESSION_COOKIE = 'session_token';

/** 401 `unauthorized` without a live session; otherwise sets `session`. */
export const requireSession = (sessions: SessionStore) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const session = sessions.get(getCookie(c, SESSION_COOKIE));
    if (!session) throw new ApiError('unauthorized', 'Sign in to use the PartnerOS API: the session is missing or has expired.');
    c.set('session', session);
    await next();
  });

/** 400 `no_active_organization` unless the session has one; otherwise sets `organizationId`. */
export const requireOrganization = createMiddleware<AppEnv>(async (c, next) => {
  const organizationId = c.get('session').activeOrganizationId;
  if (!organizationId) {
    throw new ApiError('no_active_organization', 'Choose an organization first: this session has no active organization.');
  }
  c.set('organizationId', organizationId);
  await next();
});
