import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { requireSession, SESSION_COOKIE } from '../auth/middleware.js';
import { verifyPassword } from '../auth/passwords.js';
import type { SessionStore } from '../auth/sessions.js';
import type { SignInLimiter } from '../auth/sign-in-limiter.js';
import type { AppEnv } from '../env.js';
import { ApiError } from '../errors.js';
import type { ProxyTrust } from '../proxy.js';
import type { Storage } from '../storage/storage.js';
import { storedText, uuidSchema, validate } from '../validation.js';

// A real scrypt hash of a random password: signing in with an unknown email
// costs the same time as with a known one, so timing does not reveal accounts.
const DUMMY_HASH = 'scrypt$16384$8$1$kMj3sD0Pc7hKnkKKQ5Jzbg$5qrfRS_AvFB5rjbXcaoRLzS9SG6_DTBWR3WJXwnZezs';

/** The socket's peer; undefined where there is no socket (in-process requests). */
function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/** `/api/auth`: sign-in, sign-out, the session, the active organisation. */
export function authRoutes(storage: Storage, sessions: SessionStore, limiter: SignInLimiter, proxy: ProxyTrust) {
  return new Hono<AppEnv>()
    .post('/sign-in/email', validate('json', z.object({ email: storedText(320), password: z.string().max(200) })), async (c) => {
      const { email, password } = c.req.valid('json');
      const socket = socketAddress(c);
      // Behind a proxy the socket is the proxy's: every user would share one address limit.
      const address = proxy.clientAddress(socket, c.req.header('x-forwarded-for'));
      const wait = await limiter.retryAfter(email.trim(), address);
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        throw new ApiError('too_many_requests', `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} min.`);
      }
      const user = await storage.users.byEmail(email.trim());
      const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !valid) {
        await limiter.failed(email.trim(), address);
        throw new ApiError('invalid_credentials', 'The email or password is not correct.');
      }
      await limiter.succeeded(email.trim());

      const activeOrganizationId =
        user.activeOrganizationId && (await storage.users.isMember(user.id, user.activeOrganizationId)) ? user.activeOrganizationId : null;
      const { token, endsAt } = await sessions.create(user.id, activeOrganizationId);
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'Lax',
        path: '/',
        secure: proxy.isHttps(c.req.url, socket, c.req.header('x-forwarded-proto')),
        // The absolute end, not the idle expiry: a cookie must not go before the session it
        // carries, and this one needs no re-sending as the session is used.
        expires: endsAt,
      });
      return c.json({ user: { id: user.id, email: user.email, name: user.name }, activeOrganizationId });
    })
    .use('*', requireSession(sessions))
    .post('/sign-out', async (c) => {
      await sessions.end(c.get('session'));
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ success: true });
    })
    .get('/session', async (c) => {
      const { user, activeOrganizationId, role } = c.get('session');
      return c.json({ user, activeOrganizationId, role, organizations: await storage.users.organizations(user.id) });
    })
    .post('/organization/set-active', validate('json', z.object({ organizationId: uuidSchema })), async (c) => {
      const { organizationId } = c.req.valid('json');
      const id = organizationId.toLowerCase();
      if (!(await sessions.setActiveOrganization(c.get('session'), id))) {
        throw new ApiError('forbidden', 'You are not a member of that organization.');
      }
      return c.json({ activeOrganizationId: id });
    });
}
