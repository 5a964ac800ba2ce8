import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { StreamReading } from './export-stream-reader.js';
import { streamLimit } from './stream-pool.js';

/*
 * Why `fetch` and not `EventSource`
 * ---------------------------------
 * The issue asks for "a quiet liveness sign driven by the :hb heartbeats" and
 * a watchdog that reconnects when not even a heartbeat arrived for three
 * heartbeat periods. The server's heartbeats are SSE *comments* (`:hb`), and
 * `EventSource` never surfaces comments: with it, a healthy-but-quiet stream
 * and a dead one look the same, so neither the sign nor the watchdog could be
 * honest. `EventSource` also reduces the stream's JSON 4xx pre-check answers
 * to a bare `error` Event, and reconnects on its own in ways we cannot bound.
 *
 * So the stream is read with `fetch` and parsed by our spec-following parser
 * (sse-parser.ts, read in export-stream-reader.ts), which reports comments too.
 * `credentials: 'include'` is what `withCredentials: true` is for
 * `EventSource`: the session cookie goes along cross-origin when the server
 * allows the origin with credentials. The only request header sent is
 * `Accept`, which is CORS-safelisted, so there is no preflight, exactly as
 * with `EventSource`. (`Last-Event-ID` is not sent on reconnect: the server
 * sends no ids, and that header would need a preflight it does not allow.)
 */

/** Where the followed stream is. */
export const ExportStreamStatus = {
  /** Not following anything. */
  idle: 'idle',
  /** Waiting for a free connection to the API's origin (see stream-pool.ts). */
  queued: 'queued',
  /** The first request is on its way. */
  connecting: 'connecting',
  /** The stream is open; waiting for the export to end. */
  open: 'open',
  /** The connection dropped (or went silent); trying again after a backoff. */
  reconnecting: 'reconnecting',
  completed: 'completed',
  error: 'error',
} as const;
export type ExportStreamStatus = keyof typeof ExportStreamStatus;

/** The `completed` event's data. */
export interface ExportResult {
  /** As the server sent it: a path relative to the API's origin; resolved, always http: or https:. */
  url: string;
  costCents: number;
  model: string;
}

/** Why following ended in `error`. */
export interface ExportFailure {
  /** A readable sentence (the server's own when it sent one). */
  message: string;
  /**
   * The API's `code` for its JSON errors (`not_found`, `unauthorized`…),
   * `connection_lost` when reconnecting gave up, `network_error`,
   * `invalid_response` (also for a stream line or event over `SSE_MAX_LENGTH`),
   * `unsafe_url` (a `completed` url that is not http: or https:, see `webUrl`),
   * `module_load_error` (the stream reader's chunk did not load: a host copied
   * pos-widgets.js without the chunks beside it);
   * for a server-sent `event: error`, the `code` of its data: the reference
   * server always sends one (`export_failed`, `timed_out`,
   * `storage_unavailable`; `server_restarting` is followed again instead, see
   * `RECONNECT_CODES` in export-stream-reader.ts), and decisions are made on it, never on the sentence.
   * Absent when the server sent only a message (PartnerOS documents no code).
   */
  code?: string;
  /** The HTTP status, when the failure is a response. */
  status?: number;
}

/** After this many reconnection attempts in a row without a sign of life, following ends in `error`. */
export const DEFAULT_MAX_RECONNECTS = 5;
/** The first reconnection waits this long; each next one twice as long, up to `MAX_RECONNECT_DELAY_MS`. */
export const RECONNECT_BASE_DELAY_MS = 500;
export const MAX_RECONNECT_DELAY_MS = 8000;
/** The API contract's heartbeat period (`:hb` every 15 seconds). */
export const DEFAULT_HEARTBEAT_MS = 15_000;
/** Silence for this many heartbeat periods counts as a dead connection. */
export const WATCHDOG_PERIODS = 3;

export interface ExportStreamOptions {
  /** Called when the stream moves to `queued`, `connecting`, `open` or `reconnecting` (not on `close()`). */
  onStatus?: (status: ExportStreamStatus) => void;
  /** Called once when the stream reports `completed`. */
  onCompleted?: (result: ExportResult) => void;
  /** Called once when following ends in `error`. */
  onError?: (failure: ExportFailure) => void;
}

/**
 * `url` resolved against `base` (itself resolved against the page), or
 * undefined unless that is an http: or https: URL. A download link is what
 * the user clicks, so a server, a proxy or a compromised API that sends
 * `javascript:`, `data:`, `blob:`… must not get it into an href: anything but
 * a web URL, and anything the URL parser rejects, is refused. The parser
 * strips the spaces and removes the tabs and newlines a browser ignores in an
 * href (` java\tscript:`), and lower-cases the scheme, so `protocol` is what a
 * click would run.
 */
export function webUrl(url: unknown, base: string): string | undefined {
  // Not a string (a host dispatcher's `completed` is not type-checked at run time): `new URL` would stringify it.
  if (typeof url !== 'string') return;
  try {
    const resolved = new URL(url, new URL(base, document.baseURI));
    return /^https?:$/.test(resolved.protocol) ? resolved.href : undefined;
  } catch {
    // Malformed: refused like any other non-web URL.
  }
}

/** The failure for a `completed` url that `webUrl` refuses. */
export const unsafeUrlFailure = (): ExportFailure => ({
  message: 'The server sent a download link that is not http or https.',
  code: 'unsafe_url',
});

/**
 * One connection to an export stream, shared by every controller that follows
 * the same URL (the same lesson, cache key and API): a page with the same
 * export in a list and in a dialog opens one stream, as the pickers share one
 * request per URL. It lives while anyone follows it, reads its settings
 * (heartbeat, reconnections, `stream-limit`) from its first follower, and
 * holds a slot of the origin's streams (stream-pool.ts) from its first
 * connection to its end, reconnections included.
 *
 * The browser's own connection errors (the request failed, the body broke
 * off, the stream ended without an outcome, a 5xx) are told apart from the
 * server's `event: error` (which has data and is final, unless its code is in
 * `RECONNECT_CODES`, e.g. `server_restarting`): the former switch to
 * `reconnecting` and try again with an exponential backoff, at most
 * `maxReconnects` times in a row, then end in `error` (`connection_lost`).
 * A JSON 4xx answer (the stream's pre-checks) is final and keeps the server's
 * `error` sentence and `code`.
 */
class SharedStream {
  status: ExportStreamStatus = 'queued';
  result: ExportResult | undefined;
  failure: ExportFailure | undefined;
  beats = 0;
  attempt = 0;
  readonly followers = new Set<ExportStreamController>();

  /** Aborts the current request; also identifies it (a stale request sees another one here). */
  #request: AbortController | undefined;
  #watchdog: ReturnType<typeof setTimeout> | undefined;
  #backoff: ReturnType<typeof setTimeout> | undefined;
  /** A `retry:` field from the server replaces the base delay. */
  #baseDelayMs = RECONNECT_BASE_DELAY_MS;
  readonly origin: string;

  constructor(
    readonly url: string,
    lead: ExportStreamController,
  ) {
    this.origin = new URL(url).origin;
    this.followers.add(lead);
    streams.set(url, this);
    openWaiting();
  }

  /** Opens the stream if it waits for a slot and one is free (see stream-pool.ts). */
  openIfFree(): void {
    let open = 0;
    for (const other of streams.values()) if (other.origin === this.origin && other.status !== 'queued') open++;
    if (this.status === 'queued' && open < streamLimit(this.origin, this.#lead.streamLimit)) void this.#connect();
  }

  get #lead(): ExportStreamController {
    return this.followers.values().next().value!;
  }

  /** `follower` stops following; the last one to go closes the stream. */
  leave(follower: ExportStreamController): void {
    this.followers.delete(follower);
    if (!this.followers.size) this.#end();
  }

  /** Releases everything: the request, the timers, the place in `streams` (and so its slot). */
  #end(): void {
    this.#stop();
    if (streams.get(this.url) === this) streams.delete(this.url);
    openWaiting();
  }

  #stop(): void {
    this.#request?.abort();
    this.#request = undefined;
    clearTimeout(this.#watchdog);
    clearTimeout(this.#backoff);
    this.#backoff = undefined;
  }

  #set(status: ExportStreamStatus): void {
    this.status = status;
    this.#tell();
  }

  #tell(): void {
    for (const follower of [...this.followers]) follower.sync(this);
  }

  /** (Re)starts the silence timer; called when a request starts and on every chunk. */
  #feedWatchdog(request: AbortController): void {
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => {
      if (this.#request === request) this.#dropped();
    }, WATCHDOG_PERIODS * this.#lead.heartbeatMs);
  }

  async #connect(): Promise<void> {
    const request = (this.#request = new AbortController());
    const stale = () => this.#request !== request;
    if (this.status === 'queued') this.#set('connecting');
    // Covers a server that accepts the connection but never answers, too.
    this.#feedWatchdog(request);
    // Asked for with the request, so the reader is there when the answer is (a failure is told after the answer, not unhandled).
    const reader = import('./export-stream-reader.js').catch((error: Error) => error);

    let response: Response;
    try {
      response = await fetch(this.url, {
        credentials: 'include',
        headers: { accept: 'text/event-stream' },
        cache: 'no-store',
        signal: request.signal,
      });
    } catch {
      if (!stale()) this.#dropped();
      return;
    }
    const reading = await reader;
    if (stale()) return;
    if (reading instanceof Error) {
      // The reader's chunk is not beside the bundle (a host copied pos-widgets.js alone): asking again cannot help.
      request.abort();
      this.#fail({ message: reading.message, code: 'module_load_error' });
      return;
    }
    await reading.readStream(response, this.#reading(request));
  }

  /** How the reader's findings about `request`'s answer change the stream. */
  #reading(request: AbortController): StreamReading {
    return {
      stale: () => this.#request !== request,
      open: () => this.#set('open'),
      chunk: () => this.#feedWatchdog(request),
      alive: () => this.#alive(),
      retry: (ms) => (this.#baseDelayMs = Math.max(ms, 50)),
      dropped: (cause) => this.#dropped(cause),
      fail: (failure) => this.#fail(failure),
      // Checked here, so no consumer of the controller ever sees an unsafe url as a result.
      completed: (result) => (webUrl(result.url, this.url) ? this.#finish('completed', result) : this.#fail(unsafeUrlFailure())),
      abort: () => request.abort(),
    };
  }

  /**
   * A sign of life: a heartbeat or an event shows the connection works, so
   * the next drop starts counting afresh. The `: connected` greeting is not
   * one, or a server that drops every stream right after accepting it would
   * be retried forever (and the liveness dot would claim a working export).
   */
  #alive(): void {
    this.beats++;
    this.attempt = 0;
    this.#tell();
  }

  /** The connection failed or went silent: reconnect after a backoff, or give up. */
  #dropped(cause?: ExportFailure): void {
    this.#stop();
    if (this.attempt >= this.#lead.maxReconnects) {
      // The element words this failure itself (its `connectionLost` string); the cause's status stays.
      this.#fail({
        message: 'The connection to the server was lost.',
        code: 'connection_lost',
        ...(cause?.status ? { status: cause.status } : {}),
      });
      return;
    }
    this.attempt++;
    this.#set('reconnecting');
    const delay = Math.min(this.#baseDelayMs * 2 ** (this.attempt - 1), MAX_RECONNECT_DELAY_MS);
    // ±20 % jitter, so many clients dropped together do not come back together.
    this.#backoff = setTimeout(() => void this.#connect(), delay * (0.8 + Math.random() * 0.4));
  }

  #fail(failure: ExportFailure): void {
    this.#finish('error', undefined, failure);
  }

  /** The outcome: every follower gets it, and the next one to follow opens a new stream. */
  #finish(status: 'completed' | 'error', result?: ExportResult, failure?: ExportFailure): void {
    this.#end();
    this.result = result;
    this.failure = failure;
    this.#set(status);
  }
}

/** The streams followed, by URL; also the queue of those waiting for a slot, in the order they were asked for. */
const streams = new Map<string, SharedStream>();
const openWaiting = () => streams.forEach((stream) => stream.openIfFree());

/**
 * Follows one PPTX export stream for a Lit host, shaped like Lit's
 * `ContextConsumer`: it registers itself with the host, follows on demand
 * (`follow(url)`) and again in `hostConnected` if it was following when the
 * host left the DOM, lets go of the stream in `hostDisconnected`, and calls
 * `requestUpdate()` on each change. The connection itself is a `SharedStream`:
 * controllers following the same URL share one.
 */
export class ExportStreamController implements ReactiveController {
  /** Where the stream is; see `ExportStreamStatus`. */
  status: ExportStreamStatus = 'idle';
  /** Set when `status` is `completed`. */
  result: ExportResult | undefined;
  /** Set when `status` is `error`. */
  failure: ExportFailure | undefined;
  /** Signs of life (heartbeats such as `:hb`, and events; not the `: connected` greeting) received since `follow()`. */
  beats = 0;
  /** Reconnection attempts made in a row without a sign of life in between. */
  attempt = 0;
  /** The server's heartbeat period; the watchdog fires after `WATCHDOG_PERIODS` of them without a byte. */
  heartbeatMs = DEFAULT_HEARTBEAT_MS;
  /** Reconnection attempts allowed in a row before giving up. */
  maxReconnects = DEFAULT_MAX_RECONNECTS;
  /** Streams to the origin this one may open among (stream-pool.ts); 0: the protocol's limit. */
  streamLimit = 0;

  #url: string | undefined;
  #connected = false;
  #stream: SharedStream | undefined;

  readonly #host: ReactiveControllerHost;
  readonly #options: ExportStreamOptions;

  constructor(host: ReactiveControllerHost, options: ExportStreamOptions = {}) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** True while a stream is wanted: queued, connecting, open or reconnecting. */
  get active(): boolean {
    return !/^(idle|completed|error)$/.test(this.status);
  }

  /**
   * Follows the stream at `url` (leaving any previous one). Joins or opens it
   * now if the host is connected, otherwise as soon as it is.
   */
  follow(url: string): void {
    this.close();
    // Absolute: one key per stream however the base URL was written, and an origin to count slots by.
    this.#url = new URL(url, document.baseURI).href;
    this.#report('connecting');
    this.#join();
  }

  /** Stops following: lets go of the stream (closed when nobody else follows it), back to `idle`. */
  close(): void {
    this.#leave();
    this.#url = this.result = this.failure = undefined;
    this.status = 'idle';
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    this.#connected = true;
    // Moved in the DOM (or re-inserted) while following: pick the stream up again.
    if (this.active) this.#join();
  }

  hostDisconnected(): void {
    this.#connected = false;
    // Keeps `status` and `url`, so hostConnected can resume; the stream closes if nobody else follows it.
    this.#leave();
  }

  #join(): void {
    if (!this.#connected || !this.#url || this.#stream) return;
    const shared = streams.get(this.#url);
    if (shared) shared.followers.add(this);
    this.sync((this.#stream = shared ?? new SharedStream(this.#url, this)));
  }

  #leave(): void {
    this.#stream?.leave(this);
    this.#stream = undefined;
  }

  /** Takes over what `stream` knows (it calls this on every change). */
  sync(stream: SharedStream): void {
    const { status, result, failure } = stream;
    const was = this.status;
    Object.assign(this, { result, failure, beats: stream.beats, attempt: stream.attempt });
    this.#report(status);
    if (!this.active) this.#stream = undefined;
    if (was === status) return;
    if (status === 'completed') this.#options.onCompleted?.(result!);
    else if (status === 'error') this.#options.onError?.(failure!);
  }

  #report(status: ExportStreamStatus): void {
    const changed = status !== this.status;
    this.status = status;
    this.#host.requestUpdate();
    if (changed && this.active) this.#options.onStatus?.(status);
  }
}
