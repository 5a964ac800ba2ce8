import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { chooseEncoding, etagFor, type Encoding } from './compression.js';
import type { AppEnv } from './env.js';
import { ifNoneMatch } from './routes/if-none-match.js';
import type { CachedBody } from './routes/response-cache.js';
import { requestHeader, type HeaderPolicy } from './security-headers.js';
import type { Changes } from './storage/storage.js';

const CACHE_CONTROL = 'private, no-cache';

interface Entry {
  body: CachedBody;
  /** Served before this only: the session's expiry, or earlier, when its use must reach the store. */
  untilMs: number;
}

export interface AnswerCacheOptions {
  maxEntries?: number;
  /** The clock, ms since the epoch (the sessions'); tests move it forward rather than wait. */
  now?: () => number;
  /**
   * How long after the app's answer it may be served from here
   * (SessionStore.refreshMs). A cached answer never reaches the session
   * store, so it does not count as a use: without this bound a session used
   * only through the cache would reach its idle expiry while in use. One
   * request per session and URL per interval goes to the app, which records
   * the use; the cache itself never writes.
   */
  recheckMs?: number;
}

/**
 * Picker answers served at the front of the middleware chain, before CORS,
 * the session and the organisation are worked out again.
 *
 * A picker answer's body is a function of the URL, the cookie, the data
 * version and the clock (session expiry); its headers of the Origin (CORS),
 * Accept-Encoding and If-None-Match, which `respond` works out per request
 * from the header policy, exactly as for the app's own answer. So once the
 * app has answered a URL for a cookie, the same URL and cookie get the same
 * answer here while the data version is the one it was built at and the
 * session has not expired (nor come due for its use to be recorded:
 * `recheckMs`); anything else goes on down the chain. Any write, by this
 * process or another (a sign-out, an organisation switch, a role or
 * membership changed, a training published), moves the data version, so a
 * cached answer is never staler than the database.
 */
export class AnswerCache {
  /** Requests answered here rather than by the routes (tests check that the cache really ran). */
  readonly stats = { served: 0 };
  /**
   * By request URL and Cookie header; all at `version`. One version for the
   * whole table, emptied when it moves: a stale entry would otherwise keep an
   * old body alive (one 777 KB trainings list per session in the worst case).
   */
  private readonly entries = new Map<string, Entry>();
  private version = '';
  private read: Promise<string> | undefined;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly recheckMs: number;
  /** Header objects per answer, Origin, coding and status: built once, not per request. */
  private readonly heads = new WeakMap<CachedBody, Map<string, Record<string, string>>>();

  constructor(
    private readonly changes: Changes,
    private readonly policy: HeaderPolicy,
    { maxEntries = 10_000, now = Date.now, recheckMs = Infinity }: AnswerCacheOptions = {},
  ) {
    this.maxEntries = maxEntries;
    this.now = now;
    this.recheckMs = recheckMs;
    // A write pushed by the engine (on PostgreSQL another instance's too, by NOTIFY) empties the
    // table at once, before the next version read would; the read stays the guarantee.
    this.stopListening = changes.onDataChanged(() => this.startOver(''));
  }

  /** Stops hearing the storage's change notifications (the app is closing). */
  readonly stopListening: () => void;

  /**
   * The route's answer: 304 for a matching If-None-Match, else the body in
   * the coding the client accepts; with the header policy's headers for the
   * request's Origin. Offered to the cache for the next request of this URL
   * and cookie.
   */
  respond(c: Context<AppEnv>, body: CachedBody): Response {
    c.set('answer', body);
    return this.answer(c, body);
  }

  /**
   * Answers what it holds; otherwise hands the request on and keeps what the
   * route offered (`respond`). Requests it holds an answer for wait for the
   * end of the event loop's poll phase (setImmediate) and are checked
   * together after ONE data-version read: every one of them was read from
   * its socket before that read, so a commit that finished before any of them
   * was sent is seen. (One read shared by requests as they come in would not
   * be sound: a request read after another process's commit could get a
   * version read before it.) Under load a poll phase brings dozens of
   * requests; the read was a fifth of the server's busy time when made per
   * request (BENCHMARKS.md).
   */
  readonly middleware = createMiddleware<AppEnv>(async (c, next) => {
    const key = keyOf(c);
    const entry = key && this.entries.get(key);
    if (entry) {
      const version = await this.versionAfterArrival();
      if (entry.body.version === version && entry.untilMs > this.now()) {
        this.stats.served++;
        return this.answer(c, entry.body);
      }
    }
    await next();
    const body = c.get('answer');
    if (!key || !body || c.res.status >= 400) return;
    if (body.version !== this.version) this.startOver(body.version);
    this.entries.delete(key);
    this.entries.set(key, { body, untilMs: Math.min(Date.parse(c.get('session').expiresAt), this.now() + this.recheckMs) });
    // Maps iterate in insertion order: the first key is the least recently remembered.
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  });

  /** How many answers it holds (tests check that a pushed change emptied it). */
  get size(): number {
    return this.entries.size;
  }

  private answer(c: Context, body: CachedBody): Response {
    const origin = requestHeader(c, 'origin');
    const encoding = body.compressible ? chooseEncoding(requestHeader(c, 'accept-encoding')) : undefined;
    if (ifNoneMatch(requestHeader(c, 'if-none-match'), body.etag)) {
      return this.policy.respond(null, 304, this.head(body, origin, encoding, 304));
    }
    return this.policy.respond(body.bytes(encoding), 200, this.head(body, origin, encoding, 200));
  }

  private head(body: CachedBody, origin: string | undefined, encoding: Encoding | undefined, status: 200 | 304) {
    let heads = this.heads.get(body);
    if (!heads) this.heads.set(body, (heads = new Map()));
    const api = this.policy.api(origin);
    // Unlisted origins share the head without CORS headers: the key must not grow with them.
    const key = `${api === this.policy.security ? '' : origin}\n${encoding}\n${status}`;
    let head = heads.get(key);
    if (!head) {
      // A 304 carries what the 200 would (RFC 9110 §15.4.5) but the headers describing the body.
      head = {
        ...api,
        ETag: etagFor(body.etag, encoding),
        'Cache-Control': CACHE_CONTROL,
        Vary: body.compressible ? 'Origin, Accept-Encoding' : 'Origin',
      };
      if (status === 200) head['Content-Type'] = 'application/json';
      if (status === 200 && encoding) head['Content-Encoding'] = encoding;
      heads.set(key, head);
    }
    return head;
  }

  private versionAfterArrival(): Promise<string> {
    return (this.read ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      // Requests arriving from here on wait for the next read: this one may have begun before they were sent.
      this.read = undefined;
      const version = await this.changes.version();
      if (version !== this.version) this.startOver(version);
      return version;
    }));
  }

  private startOver(version: string) {
    this.entries.clear();
    this.version = version;
  }
}

/**
 * URL and Cookie header of a request the cache may answer: a GET with a
 * cookie, its URL as sent (another spelling of the path, or a query string,
 * goes to the app); nothing for any other.
 */
function keyOf(c: Context): string | undefined {
  if (c.req.method !== 'GET') return undefined;
  const cookie = requestHeader(c, 'cookie');
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  const url = incoming?.url ?? c.req.url.slice(c.req.url.indexOf('/', c.req.url.indexOf('//') + 2));
  return cookie && !url.includes('?') ? `${url}\n${cookie}` : undefined;
}
