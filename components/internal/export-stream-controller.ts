import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { SSE_MAX_LENGTH, createSseParser, type SseEvent } from './sse-parser.js';

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
 * (sse-parser.ts), which reports comments too.
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
   * `unsafe_url` (a `completed` url that is not http: or https:, see `webUrl`);
   * for a server-sent `event: error`, the `code` of its data: the reference
   * server always sends one (`export_failed`, `timed_out`,
   * `storage_unavailable`; `server_restarting` is followed again instead, see
   * `RECONNECT_CODES`), and decisions are made on it, never on the sentence.
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
/**
 * Codes of a server-sent `event: error` that do not end the export, so the
 * stream is followed again (with the usual backoff and bound) instead of ending
 * in `error`: `server_restarting` is sent to open streams on a graceful
 * shutdown, and the export goes on in the next instance.
 */
export const RECONNECT_CODES: ReadonlySet<string> = new Set(['server_restarting']);
/** The API contract's heartbeat period (`:hb` every 15 seconds). */
export const DEFAULT_HEARTBEAT_MS = 15_000;
/** Silence for this many heartbeat periods counts as a dead connection. */
export const WATCHDOG_PERIODS = 3;

export interface ExportStreamOptions {
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

const isResult = (v: unknown): v is ExportResult =>
  !!v &&
  typeof v === 'object' &&
  typeof (v as ExportResult).url === 'string' &&
  typeof (v as ExportResult).costCents === 'number' &&
  typeof (v as ExportResult).model === 'string';

/**
 * Follows one PPTX export stream for a Lit host, shaped like Lit's
 * `ContextConsumer`: it registers itself with the host, opens the stream on
 * demand (`follow(url)`) and again in `hostConnected` if it was following when
 * the host left the DOM, releases everything (the request, every timer) in
 * `hostDisconnected`, and calls `requestUpdate()` on each change.
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
export class ExportStreamController implements ReactiveController {
  /** Where the stream is; see `ExportStreamStatus`. */
  status: ExportStreamStatus = 'idle';
  /** Set when `status` is `completed`. */
  result: ExportResult | undefined;
  /** Set when `status` is `error`. */
  failure: ExportFailure | undefined;
  /** Signs of life (comments such as `:hb`, and events) received since `follow()`. */
  beats = 0;
  /** Reconnection attempts made in a row without a sign of life in between. */
  attempt = 0;
  /** The server's heartbeat period; the watchdog fires after `WATCHDOG_PERIODS` of them without a byte. */
  heartbeatMs = DEFAULT_HEARTBEAT_MS;
  /** Reconnection attempts allowed in a row before giving up. */
  maxReconnects = DEFAULT_MAX_RECONNECTS;

  #url: string | undefined;
  #connected = false;
  /** Aborts the current request; also identifies it (a stale request sees another one here). */
  #request: AbortController | undefined;
  #watchdog: ReturnType<typeof setTimeout> | undefined;
  #backoff: ReturnType<typeof setTimeout> | undefined;
  /** A `retry:` field from the server replaces the base delay. */
  #baseDelayMs = RECONNECT_BASE_DELAY_MS;

  readonly #host: ReactiveControllerHost;
  readonly #options: ExportStreamOptions;

  constructor(host: ReactiveControllerHost, options: ExportStreamOptions = {}) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** True while a stream is wanted: connecting, open or reconnecting. */
  get active(): boolean {
    return this.status === 'connecting' || this.status === 'open' || this.status === 'reconnecting';
  }

  /**
   * Follows the stream at `url` (closing any previous one). Opens now if the
   * host is connected, otherwise as soon as it is.
   */
  follow(url: string): void {
    this.#release();
    this.#url = url;
    this.result = undefined;
    this.failure = undefined;
    this.beats = 0;
    this.attempt = 0;
    this.#baseDelayMs = RECONNECT_BASE_DELAY_MS;
    this.#setStatus('connecting');
    if (this.#connected) void this.#connect();
  }

  /** Stops following: closes the stream, clears every timer, back to `idle`. */
  close(): void {
    this.#release();
    this.#url = undefined;
    this.result = undefined;
    this.failure = undefined;
    this.#setStatus('idle');
  }

  hostConnected(): void {
    this.#connected = true;
    // Moved in the DOM (or re-inserted) while following: pick the stream up again.
    if (this.#url && this.active && !this.#request && !this.#backoff) {
      this.attempt = 0;
      this.#setStatus('connecting');
      void this.#connect();
    }
  }

  hostDisconnected(): void {
    this.#connected = false;
    // Keeps `status` and `url`, so hostConnected can resume; nothing stays open.
    this.#release();
  }

  /** Aborts the request and clears the timers; the status is left to the caller. */
  #release(): void {
    this.#request?.abort();
    this.#request = undefined;
    clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
    clearTimeout(this.#backoff);
    this.#backoff = undefined;
  }

  #setStatus(status: ExportStreamStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.#host.requestUpdate();
  }

  /** (Re)starts the silence timer; called when a request starts and on every chunk. */
  #feedWatchdog(request: AbortController): void {
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => {
      if (this.#request !== request) return;
      this.#dropped();
    }, WATCHDOG_PERIODS * this.heartbeatMs);
  }

  async #connect(): Promise<void> {
    const url = this.#url;
    if (!url) return;
    const request = new AbortController();
    this.#request = request;
    const stale = () => this.#request !== request;
    // Covers a server that accepts the connection but never answers, too.
    this.#feedWatchdog(request);

    let response: Response;
    try {
      response = await fetch(url, {
        credentials: 'include',
        headers: { accept: 'text/event-stream' },
        cache: 'no-store',
        signal: request.signal,
      });
    } catch {
      if (!stale()) this.#dropped();
      return;
    }
    if (stale()) return;

    if (!response.ok) {
      const failure = await this.#readError(response);
      if (stale()) return;
      // 5xx and 429 may pass: try again. Any other answer (the pre-checks' 4xx) is final.
      if (response.status >= 500 || response.status === 429) this.#dropped(failure);
      else this.#fail(failure);
      return;
    }
    if (!(response.headers.get('content-type') ?? '').includes('text/event-stream') || !response.body) {
      request.abort();
      this.#fail({ message: 'The server did not answer with an event stream.', code: 'invalid_response', status: response.status });
      return;
    }

    this.#setStatus('open');
    const parser = createSseParser({
      // `: connected` only proves the request got through; a heartbeat proves the stream lives.
      onComment: (text) => this.#alive(text !== 'connected'),
      onRetry: (ms) => (this.#baseDelayMs = Math.max(ms, 50)),
      onEvent: (event) => this.#onEvent(event),
      // Final, not a drop: reconnecting would fetch the same garbage again.
      onOverflow: () =>
        this.#fail({
          message: `The server sent an event stream line or event over ${SSE_MAX_LENGTH} characters.`,
          code: 'invalid_response',
        }),
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (stale()) return;
        if (done) break;
        this.#feedWatchdog(request);
        parser.feed(value);
        if (!this.active) return; // an outcome arrived and closed the stream
      }
    } catch {
      if (stale()) return;
    } finally {
      // Releases the body if we stopped reading early (an outcome, a newer request).
      reader.cancel().catch(() => {});
    }
    // The stream broke off or ended without `completed`/`error`: the server went away.
    if (!stale()) this.#dropped();
  }

  /**
   * A sign of life. A heartbeat or an event shows the connection works, so
   * the next drop starts counting afresh (`resetAttempts`); the `: connected`
   * greeting does not, or a server that drops every stream right after
   * accepting it would be retried forever.
   */
  #alive(resetAttempts = true): void {
    this.beats++;
    if (resetAttempts) this.attempt = 0;
    this.#host.requestUpdate();
  }

  #onEvent({ event: type = 'message', data: text }: SseEvent): void {
    if (type !== 'completed' && type !== 'error') return;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      // Not JSON: `data` stays undefined, which neither outcome accepts as its data.
    }
    if (type === 'completed') {
      // Checked here, so no consumer of the controller ever sees an unsafe url as a result.
      if (!isResult(data)) this.#fail({ message: 'The server sent a completion without a file.', code: 'invalid_response' });
      else if (!webUrl(data.url, this.#url!)) this.#fail(unsafeUrlFailure());
      else this.#complete(data);
    } else {
      const { message, code } = (data ?? {}) as { message?: unknown; code?: unknown };
      const failure: ExportFailure = { message: typeof message === 'string' && message ? message : text || 'The export failed.' };
      if (typeof code === 'string' && code) failure.code = code;
      // Not the export's end (e.g. a graceful restart): follow it again, like a dropped connection.
      if (failure.code && RECONNECT_CODES.has(failure.code)) this.#dropped(failure);
      else this.#fail(failure);
    }
  }

  /** What went wrong, from a non-OK response: the API's JSON `{ error, code }` when it sent one. */
  async #readError(response: Response): Promise<ExportFailure> {
    try {
      const body = (await response.json()) as { error?: unknown; code?: unknown };
      if (typeof body?.error === 'string') {
        return { message: body.error, code: typeof body.code === 'string' ? body.code : 'http_error', status: response.status };
      }
    } catch {
      // Not JSON: fall through to a plain sentence.
    }
    return {
      message: `The server answered ${response.status} ${response.statusText}`.trim() + '.',
      code: 'http_error',
      status: response.status,
    };
  }

  /** The connection failed or went silent: reconnect after a backoff, or give up. */
  #dropped(cause?: ExportFailure): void {
    this.#release();
    if (!this.#url || !this.#connected) return;
    if (this.attempt >= this.maxReconnects) {
      this.#fail({
        message:
          `The connection to the server was lost and ${this.maxReconnects} attempts to reconnect failed.` +
          (cause ? ` ${cause.message}` : ''),
        code: 'connection_lost',
        ...(cause?.status ? { status: cause.status } : {}),
      });
      return;
    }
    this.attempt++;
    this.#setStatus('reconnecting');
    this.#host.requestUpdate();
    const delay = Math.min(this.#baseDelayMs * 2 ** (this.attempt - 1), MAX_RECONNECT_DELAY_MS);
    // ±20 % jitter, so many clients dropped together do not come back together.
    this.#backoff = setTimeout(
      () => {
        this.#backoff = undefined;
        void this.#connect();
      },
      delay * (0.8 + Math.random() * 0.4),
    );
  }

  #complete(result: ExportResult): void {
    this.#release();
    this.result = result;
    this.#setStatus('completed');
    this.#options.onCompleted?.(result);
  }

  #fail(failure: ExportFailure): void {
    this.#release();
    this.failure = failure;
    this.#setStatus('error');
    this.#options.onError?.(failure);
  }
}
