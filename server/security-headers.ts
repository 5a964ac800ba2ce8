import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

/**
 * Hono's secureHeaders with its header set worked out once, at start, by
 * running the middleware on a probe request: Hono stays the authority on which
 * headers and values, and a request pays for none of that work.
 *
 * Why not the middleware as it is: it sets its dozen headers one by one on the
 * response's WHATWG Headers after every handler, and on @hono/node-server
 * that turns the light response's plain header object into a Headers and back
 * (measured: about a fifth of a 304's cost). Responses built by `secured()`
 * carry the headers in their plain object from the start; the middleware only
 * fills in the others (errors, static files, the stream's pre-checks).
 */
export async function securityHeaders(options: SecureHeadersOptions) {
  const probe = await new Hono()
    .use(secureHeaders(options))
    .get('/', (c) => c.body(null, 204))
    .request('/');
  const headers: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(probe.headers));
  const built = new WeakSet<Response>();

  return {
    headers,
    /** A response that already carries the headers (hot routes). */
    secured(body: Uint8Array | null, status: number, extra: Record<string, string>): Response {
      const response = new Response(body as BodyInit | null, { status, headers: { ...headers, ...extra } });
      built.add(response);
      return response;
    },
    /**
     * Adds the headers to every response not built by `secured()`, as secureHeaders would,
     * but only those the route left unset: a route that chose its own value (the demo
     * page's `Cross-Origin-Resource-Policy: same-origin`) keeps it, where overwriting
     * would hand the page the API's `cross-origin`.
     */
    middleware: createMiddleware(async (c, next) => {
      await next();
      if (built.has(c.res)) return;
      const set = c.res.headers;
      for (const name in headers) if (!set.has(name)) set.set(name, headers[name]!);
    }),
  };
}

export type SecurityHeaders = Awaited<ReturnType<typeof securityHeaders>>;
