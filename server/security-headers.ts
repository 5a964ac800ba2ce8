import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;
type Headers = Readonly<Record<string, string>>;

export interface HeaderPolicyOptions {
  /** Hono's secureHeaders options for every response. */
  secure: SecureHeadersOptions;
  /** Paths answered with `page` merged over `secure` (the demo page: its CSP and same-origin). */
  pagePaths?: readonly string[];
  page?: SecureHeadersOptions;
  /** Origins whose requests to /api/* get CORS with credentials (POS_CORS_ORIGINS). */
  corsOrigins: readonly string[];
  /**
   * Paths any origin may read without credentials (`Access-Control-Allow-Origin: *`):
   * the built files, which a host page on another origin loads as module scripts.
   */
  openPrefixes?: readonly string[];
}

/** The request header `name` (lower case), from Node's parsed headers where there are some. */
export function requestHeader(c: Context, name: string): string | undefined {
  // On @hono/node-server, c.req.header() builds a WHATWG Headers from the raw
  // header list on first use; Node's own object is already there.
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  if (incoming) {
    const value = incoming.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }
  return c.req.header(name);
}

const PROBE_ORIGIN = 'https://probe.invalid';

/**
 * Every header a response carries for security and CORS, decided here and
 * nowhere else: Hono's secureHeaders and cors are the authorities on which
 * headers and values, each run once at start on a probe request, and
 * requests pay for none of that work.
 *
 * Hot answers (the picker answers, the event stream's head) are built with
 * `api(origin)` in their plain header object and marked by `respond()`;
 * the middleware fills in every other response after its handler.
 *
 * Why not the two middlewares as they are, on every request: cors sets its
 * headers on `c.res` before the handler runs, so Hono copies the handler's
 * response into a new one to merge them, which on @hono/node-server turns its
 * light response (plain headers, bytes written at once) into a WHATWG
 * Response whose body is read back as a stream; secureHeaders sets its dozen
 * headers one by one after the handler, with the same effect. Profiled under
 * autocannon: that made a listed Origin cost 2–3× an unlisted one
 * (BENCHMARKS.md).
 */
export async function headerPolicy({ secure, pagePaths = [], page = {}, corsOrigins, openPrefixes = [] }: HeaderPolicyOptions) {
  const probe = async (options: SecureHeadersOptions): Promise<Headers> => {
    const response = await new Hono()
      .use(secureHeaders(options))
      .get('/', (c) => c.body(null, 204))
      .request('/');
    return Object.freeze(Object.fromEntries(response.headers));
  };
  const security = await probe(secure);
  const pageSecurity = await probe({ ...secure, ...page });
  const pages = new Set(pagePaths);

  const corsOptions = {
    origin: (origin: string) => origin,
    credentials: true,
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'If-None-Match'],
    exposeHeaders: ['ETag'],
    maxAge: 600,
  };
  const preflight = cors(corsOptions);
  // What cors adds to an answer (not a preflight) for a listed origin, the probe's origin swapped for each.
  const corsProbe = await new Hono()
    .use(cors(corsOptions))
    .get('/', (c) => c.body(null, 204))
    .request('/', { headers: { origin: PROBE_ORIGIN } });
  const corsFor = (origin: string): Headers =>
    Object.freeze(
      Object.fromEntries(
        [...corsProbe.headers]
          .filter(([name]) => name.startsWith('access-control-'))
          .map(([name, value]) => [name, value === PROBE_ORIGIN ? origin : value]),
      ),
    );
  /**
   * By listed origin: the security headers and that origin's CORS headers, one frozen object each.
   * With Timing-Allow-Origin, Resource Timing shows the page the protocol (nextHopProtocol): the
   * export element lifts its HTTP/1.1 stream cap when the API answers over HTTP/2.
   */
  const apiHeaders = new Map(
    corsOrigins.map((origin) => [
      origin,
      Object.freeze<Record<string, string>>({ ...security, ...corsFor(origin), 'Timing-Allow-Origin': origin }),
    ]),
  );
  const allowed = (origin: string | undefined) => (origin === undefined ? undefined : apiHeaders.get(origin));

  const built = new WeakSet<Response>();

  return {
    /** The security headers of every response but the pages'. */
    security,
    /** The security headers of the demo page's paths. */
    pageSecurity,
    /**
     * The security and CORS headers of an API answer to a request from
     * `origin`: CORS only for a listed origin, echoed with credentials; none
     * otherwise. Answers whose CORS headers depend on the Origin say so with
     * `Vary: Origin` themselves (with the rest of their Vary).
     */
    api: (origin: string | undefined): Headers => allowed(origin) ?? security,
    /** A response that already carries every header of this policy: the middleware leaves it alone. */
    respond(body: Uint8Array | ReadableStream<Uint8Array> | null, status: number, headers: Record<string, string>): Response {
      const response = new Response(body as BodyInit | null, { status, headers });
      built.add(response);
      return response;
    },
    /**
     * Preflights of listed origins answered by Hono's cors; after every other
     * handler, the headers of this policy added to its response, unless it was
     * built with them (`respond`) or written by the route itself
     * (RESPONSE_ALREADY_SENT: the stream, whose head carries them).
     */
    middleware: createMiddleware(async (c, next) => {
      const isApi = c.req.path.startsWith('/api/');
      const cors = isApi ? allowed(requestHeader(c, 'origin')) : undefined;
      if (cors && c.req.method === 'OPTIONS') {
        const answer = await preflight(c, next);
        if (answer) c.res = answer;
      } else {
        await next();
      }
      const response = c.res;
      if (built.has(response) || response === RESPONSE_ALREADY_SENT) return;
      const set = response.headers;
      const headers = cors ?? (pages.has(c.req.path) ? pageSecurity : security);
      for (const name in headers) set.set(name, headers[name]!);
      if (!isApi && openPrefixes.some((prefix) => c.req.path.startsWith(prefix))) set.set('Access-Control-Allow-Origin', '*');
      if (isApi && !/(^|,)\s*origin\s*(,|$)/i.test(set.get('vary') ?? '')) set.append('Vary', 'Origin');
    }),
  };
}

export type HeaderPolicy = Awaited<ReturnType<typeof headerPolicy>>;
