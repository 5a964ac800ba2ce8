import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { ifNoneMatch } from './routes/if-none-match.js';

/** What the whole app answered to one picker request, and what that answer depended on. */
export interface Answer {
  /** The data version the app read for the request (db/data-version.ts). */
  version: string;
  /** When the session behind the cookie expires. */
  expiresAtMs: number;
  etag: string;
  body: Uint8Array;
  /** Every header line of the 200 but those Node adds per connection (Date, Connection, Keep-Alive). */
  headers: Readonly<Record<string, string>>;
  /** The same for the 304. */
  notModifiedHeaders: Readonly<Record<string, string>>;
}

interface Entry extends Answer {
  /** `headers` with Content-Length, as the app sent it. */
  headersWithLength: Readonly<Record<string, string | number>>;
  /** Replayed before this only: the session's expiry, or earlier, when its use must reach the store. */
  untilMs: number;
}

export interface ReplayOptions {
  maxEntries?: number;
  /** The clock, ms since the epoch (the sessions'); tests move it forward rather than wait. */
  now?: () => number;
  /**
   * How long after the app's answer it may be replayed (SessionStore.refreshMs).
   * A replayed request never reaches the session store, so it does not count as
   * a use: without this bound a session used only through the replay would reach
   * its idle expiry while in use. One request per session and URL per interval
   * goes to the app, which records the use; the replay itself never writes.
   */
  recheckMs?: number;
}

/**
 * Picker answers replayed in front of Hono, on the API's hottest path.
 *
 * A picker answer is a function of the request line, the cookie, the
 * If-None-Match header, the data version and the clock (session expiry), and
 * of nothing else as long as the request carries no Origin (CORS adds
 * headers) and request logging is off (the caller's choice). So once the
 * whole app (security headers, session, organisation, ResponseCache) has
 * answered a request, the same request line and cookie can be answered again
 * here, with the same bytes, while the data version is the one it was built
 * at and the session has not expired (nor come due for its use to be recorded:
 * `recheckMs`); anything else goes to the app. Any
 * write, by this process or another (a sign-out, an organisation switch, a
 * membership removed, a training published), moves the data version, so a
 * replayed answer is never staler than the database.
 *
 * Why not inside Hono: on this VM the framework's request and context objects,
 * its middleware promises, cookie parsing and the token's SHA-256 cost about
 * three times a bare node:http answer for a 304 (bench:api, BENCHMARKS.md).
 */
export class AnswerReplay {
  /** Requests answered here rather than by the app (tests check that the replay really ran). */
  readonly stats = { replayed: 0 };
  /**
   * By request URL and Cookie header; all at `version`. One version for the
   * whole table, emptied when it moves: a stale entry would otherwise keep an
   * old body alive (one 777 KB trainings list per session in the worst case).
   */
  private readonly entries = new Map<string, Entry>();
  private version = '';
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly recheckMs: number;

  constructor(
    private readonly currentVersion: () => string,
    { maxEntries = 10_000, now = Date.now, recheckMs = Infinity }: ReplayOptions = {},
  ) {
    this.maxEntries = maxEntries;
    this.now = now;
    this.recheckMs = recheckMs;
  }

  /**
   * Remembers the app's answer to `request`, which it routed as `path`; it is
   * replayed for that exact URL (other spellings, a query string, go to the
   * app), so there are as many URLs as picker routes. A GET with an Origin
   * header is not remembered, nor are `app.request()`s (no `incoming`).
   */
  remember(request: IncomingMessage | undefined, path: string, answer: Answer): void {
    const cookie = request && replayable(request);
    if (!cookie) return;
    if (answer.version !== this.version) this.startOver(answer.version);
    const key = keyOf(path, cookie);
    this.entries.delete(key);
    this.entries.set(key, {
      ...answer,
      headersWithLength: { ...answer.headers, 'Content-Length': answer.body.byteLength },
      untilMs: Math.min(answer.expiresAtMs, this.now() + this.recheckMs),
    });
    // Maps iterate in insertion order: the first key is the least recently remembered.
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /**
   * A request listener that answers what it can replay and hands the rest to
   * `app`. Replayable requests wait for the end of the event loop's poll
   * phase (setImmediate) and are answered together after ONE data-version
   * read: every one of them was read from its socket before that read, so a
   * commit that finished before any of them was sent is seen. (One read shared
   * by requests as they come in would not be sound: a request read after
   * another process's commit could get a version read before it.) Under load
   * a poll phase brings dozens of requests; the read was a fifth of the
   * server's busy time when made per request (BENCHMARKS.md).
   */
  listener(app: RequestListener): RequestListener<typeof IncomingMessage, typeof ServerResponse> {
    let waiting: { request: IncomingMessage; response: ServerResponse; entry: Entry }[] = [];
    const answerWaiting = () => {
      const batch = waiting;
      waiting = [];
      const version = this.currentVersion();
      if (version !== this.version) this.startOver(version);
      const now = this.now();
      for (const { request, response, entry } of batch) {
        if (entry.version === version && entry.untilMs > now) this.answer(request, response, entry);
        else app(request, response);
      }
    };
    return (request, response) => {
      const cookie = replayable(request);
      const entry = cookie && this.entries.get(keyOf(request.url!, cookie));
      if (!entry) return app(request, response);
      if (waiting.push({ request, response, entry }) === 1) setImmediate(answerWaiting);
    };
  }

  private answer(request: IncomingMessage, response: ServerResponse, entry: Entry) {
    this.stats.replayed++;
    if (ifNoneMatch(request.headers['if-none-match'], entry.etag)) {
      response.writeHead(304, entry.notModifiedHeaders).end();
    } else {
      response.writeHead(200, entry.headersWithLength).end(entry.body);
    }
  }

  private startOver(version: string) {
    this.entries.clear();
    this.version = version;
  }
}

const keyOf = (url: string, cookie: string) => `${url}\n${cookie}`;

/** The request's Cookie header, or nothing for a request the app must answer itself. */
function replayable(request: IncomingMessage): string | undefined {
  const { cookie, origin } = request.headers;
  return request.method === 'GET' && origin === undefined ? cookie : undefined;
}
