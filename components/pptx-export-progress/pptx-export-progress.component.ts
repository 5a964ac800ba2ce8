import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { PosApiError, apiUrl, canRetry, errorHeading, requestJson } from '../internal/api.js';
import {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_RECONNECTS,
  ExportStreamController,
  unsafeUrlFailure,
  webUrl,
  type ExportFailure,
  type ExportResult,
} from '../internal/export-stream-controller.js';
import { formatElapsed } from '../internal/format.js';
import { LocaleController } from '../internal/locale.js';
import type * as CompletedModule from './export-completed.js';
import { DEFAULT_STRINGS, type PptxExportProgressStrings } from './pptx-export-progress.strings.js';
import { styles } from './pptx-export-progress.styles.js';

/**
 * The element's states, reflected as the `state` attribute: `idle`, then
 * `dispatching` (the export request is on its way), `queued` (waiting for a
 * free connection to the API, see stream-pool.ts), `connecting`, `waiting`
 * (the stream is open: the server generates the file), `reconnecting`, and
 * the outcome, `completed` or `error`.
 */
export const ExportState = {
  idle: 'idle',
  dispatching: 'dispatching',
  queued: 'queued',
  connecting: 'connecting',
  waiting: 'waiting',
  reconnecting: 'reconnecting',
  completed: 'completed',
  error: 'error',
} as const;
export type ExportState = keyof typeof ExportState;

/** What happens to an export: the element's own steps and its stream's (`ExportStreamStatus`). */
type ExportEvent = 'dispatch' | 'queued' | 'connecting' | 'open' | 'reconnecting' | 'completed' | 'error' | 'idle';

const RUNNING: readonly ExportState[] = ['dispatching', 'queued', 'connecting', 'waiting', 'reconnecting'];

/** The completed state's view (export-completed.ts), asked for when a run begins; set once it has loaded. */
const loadCompleted = () => import('./export-completed.js').then((module) => (completedView = module));
let completedView: typeof CompletedModule | undefined;

/** `pos-export-completed`'s detail. `url` is absolute (resolved against the API's origin). */
export interface ExportCompletedDetail {
  url: string;
  costCents: number;
  model: string;
}
/** `pos-export-error`'s detail; see the README for the codes. */
export interface ExportErrorDetail {
  message: string;
  code?: string;
  /** The HTTP status, when the failure is a response (402: the allowance is spent, a host may offer an upgrade). */
  status?: number;
}

/** What the element hands a host's `dispatcher`. */
export interface ExportDispatchRequest {
  lessonId: string;
  /** The element's `cache-key`, or null without one. */
  cacheKey: string | null;
  /** Aborted on `cancel()`, on a new run, and when the lesson, cache key or base URL changes. */
  signal: AbortSignal;
}
/**
 * What a `dispatcher` resolves to: nothing (follow the element's own cache key),
 * the `cacheKey` to follow (null: any fresh export of the lesson), or a
 * `completed` export (the host's cache hit), which completes without a stream.
 */
export interface ExportDispatchResult {
  cacheKey?: string | null;
  completed?: ExportCompletedDetail;
}
/**
 * Starts an export the host's way. A rejection ends in `error` with the
 * rejection's `message`, and its `code` (else `dispatch_failed`) and `status`
 * if it has them (a `PosApiError` has both).
 */
export type ExportDispatcher = (request: ExportDispatchRequest) => Promise<ExportDispatchResult | void>;
export type ExportCompletedEvent = CustomEvent<ExportCompletedDetail>;
export type ExportErrorEvent = CustomEvent<ExportErrorDetail>;

export interface PptxExportProgressEventMap {
  'pos-export-completed': ExportCompletedEvent;
  'pos-export-error': ExportErrorEvent;
}

/**
 * @summary Shows a lesson's PowerPoint export from dispatch to download: progress,
 * elapsed time and liveness while it runs, then a download link with cost and
 * model, or the reason it failed and a Retry button.
 *
 * @event pos-export-completed - The file is ready. Detail: `{ url, costCents, model }`. Bubbles, composed.
 * @event pos-export-error - The export failed, timed out or could not be followed. Detail: `{ message, code?, status? }`. Bubbles, composed.
 * @event pos-export-state-change - `state` changed; fired once the element shows the new state. Detail: `{ state }`. Bubbles, composed.
 *
 * @csspart header - The row with the state label, the liveness dot and the elapsed time.
 * @csspart label - The visible state text.
 * @csspart liveness - The dot that pulses on each server heartbeat (live from the first heartbeat or event, not on connecting).
 * @csspart elapsed - The elapsed time.
 * @csspart progress - The indeterminate progress bar (role=progressbar).
 * @csspart progress-indicator - The moving segment inside the bar.
 * @csspart title - The completed or error heading.
 * @csspart message - The error message.
 * @csspart details - The cost and model list.
 * @csspart actions - The row of buttons and the download link.
 * @csspart export - The idle state's button.
 * @csspart cancel - The Cancel button shown while running.
 * @csspart download - The download link.
 * @csspart retry - The Retry button (absent on 402 and 403, where asking again cannot help).
 * @csspart status - The (visually hidden) live region.
 *
 * @cssprop --pos-accent - The progress bar, the dot, the buttons (light `#4f46e5`).
 * @cssprop --pos-on-accent - Text on the accent colour (`#ffffff`).
 * @cssprop --pos-surface - The background (`#ffffff`).
 * @cssprop --pos-surface-raised - Raised surfaces (`#ffffff`).
 * @cssprop --pos-surface-hover - Hovered buttons (`#f3f4f6`).
 * @cssprop --pos-text - Text (`#111827`).
 * @cssprop --pos-text-muted - Elapsed time and details (`#4b5563`).
 * @cssprop --pos-border - The border (`#9ca3af`).
 * @cssprop --pos-danger - The error state (`#b91c1c`).
 * @cssprop --pos-success - The completed state (`#047857`).
 * @cssprop --pos-radius - Corner radius (`8px`).
 * @cssprop --pos-font-family - Font (`system-ui, …`).
 * @cssprop --pos-font-size - Font size (`0.9375rem`).
 * @cssprop --pos-focus-ring - Focus ring, a box-shadow (3px accent at 40 %).
 * @cssprop --pos-export-bar-height - Height of the progress bar (6px).
 * @cssprop --pos-export-bar-track - Colour of the bar's track (accent at 18 %).
 * @cssprop --pos-export-dot-size - Diameter of the liveness dot (0.625rem).
 */
export class PosPptxExportProgress extends LitElement {
  static override styles = styles;

  readonly #stream = new ExportStreamController(this, {
    onStatus: (status) => {
      this.#to(status);
      if (status === 'queued') this.#announce(this.#texts.queued);
    },
    onCompleted: (result) => this.#complete(result),
    onError: (failure) => this.#fail(failure),
  });

  /** Base URL of the API, absolute or relative to the page. */
  @property({ attribute: 'base-url' }) baseUrl = '/api';

  /** The enablement lesson (UUID) whose export this element shows. */
  @property({ attribute: 'lesson-id' }) lessonId = '';

  /** Optional cache key: only an export with this key completes the stream. */
  @property({ attribute: 'cache-key' }) cacheKey = '';

  /** The lesson's title, when the host knows it: names the progress bar and the downloaded file. */
  @property({ attribute: 'lesson-title' }) lessonTitle = '';

  /** Follow (`start()`) as soon as the element is connected with a lesson id. */
  @property({ type: Boolean }) autostart = false;

  /** The server's heartbeat period in ms; silence for three of them makes the element reconnect. */
  @property({ type: Number, attribute: 'heartbeat-ms' }) heartbeatMs = DEFAULT_HEARTBEAT_MS;

  /** Reconnection attempts in a row before giving up with an error. */
  @property({ type: Number, attribute: 'max-reconnects' }) maxReconnects = DEFAULT_MAX_RECONNECTS;

  /**
   * How many export streams of the page may be open to the API's origin when
   * this one opens (it waits in `queued` until then). 0, the default: 4 over
   * HTTP/1.1 or an unknown protocol, no limit once the origin answered over
   * HTTP/2 or HTTP/3.
   */
  @property({ type: Number, attribute: 'stream-limit' }) streamLimit = 0;

  /** Locale for the cost; defaults to the nearest `lang`, then the browser's. */
  @property() locale = '';

  /** ISO 4217 currency of `costCents`. */
  @property() currency = 'USD';

  /** Overrides for any text (merged over the defaults). */
  @property({ attribute: false }) strings: Partial<PptxExportProgressStrings> = {};

  /**
   * How `dispatch()` starts the export. Unset: `POST /exports/pptx`, the
   * reference server's own route (PartnerOS documents no dispatch, only the
   * stream that `start()` follows). A property (on the prototype, so React
   * wrappers pass it as one).
   */
  @property({ attribute: false }) dispatcher: ExportDispatcher | undefined = undefined;

  /** Where the export is; changed only by `#to` (see `TRANSITIONS`). */
  @state() private current: ExportState = 'idle';
  /** The state the last `pos-export-state-change` told. */
  #told: ExportState | undefined;
  /** How the current run began. */
  #action: 'dispatch' | 'start' | undefined;
  /** What `retry()` repeats: the step that failed (set on failure). */
  #retryAction: 'dispatch' | 'start' = 'dispatch';
  #dispatchRequest: AbortController | undefined;
  @state() private result: ExportResult | undefined;
  @state() private failure: ExportFailure | undefined;
  @state() private startedAt = 0;
  @state() private now = 0;
  @state() private announcement = '';
  /** Counts the renders with an announcement, so an identical text (a second start) is announced again. */
  @state() private announcementId = 0;
  /** An announcement is waiting for the next render: a second one in the same update joins it. */
  #unsaid = false;
  #ticker: ReturnType<typeof setInterval> | undefined;
  /** The nearest `lang`: texts from its pack, the cost's and the clock's `Intl` formats. */
  readonly #l10n = new LocaleController(this);
  /** `lessonId|cacheKey` already autostarted, so `cancel()` is not undone by autostart. */
  #autostarted: string | undefined;
  /** The lesson, cache key and base URL of the current run (see `target()`). */
  #runTarget = '';
  /** Counts the runs and the streams followed, so an outcome that arrives for an earlier one is dropped. */
  #run = 0;
  /** The cache key followed: a dispatcher's may differ from `cacheKey`, and a Retry must follow the same. */
  #followKey: string | null | undefined;

  /** Where the export is (reflected as the `state` attribute). */
  get state(): ExportState {
    return this.current;
  }

  /**
   * The state machine's one transition, the only place `state` changes:
   * `dispatch()` → dispatching; `start()`, or a dispatch that returned → the
   * stream's queued, connecting, open (→ waiting) and reconnecting; its
   * outcome, a host's cache hit → completed; any failure → error;
   * `cancel()`, a new run's reset, a changed target → idle. The stream
   * controller reports only the stream being followed, so nothing late
   * arrives after `cancel()`.
   */
  #to(event: ExportEvent): void {
    this.current = event === 'dispatch' ? 'dispatching' : event === 'open' ? 'waiting' : event;
  }

  /** The download URL once completed, absolute (resolved against the API's origin); always http: or https:. */
  get url(): string | undefined {
    return this.result && this.#resolve(this.result.url);
  }

  get #texts(): PptxExportProgressStrings {
    return { ...DEFAULT_STRINGS, ...this.#l10n.strings<PptxExportProgressStrings>('pos-pptx-export-progress'), ...this.strings };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-inserted: restart the clock (the stream controller resumes on its own).
    if (this.hasUpdated) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopTicker();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#stream.heartbeatMs = this.heartbeatMs > 0 ? this.heartbeatMs : DEFAULT_HEARTBEAT_MS;
    this.#stream.maxReconnects = Math.max(0, this.maxReconnects);
    this.#stream.streamLimit = this.streamLimit;
    // Only a change away from what the current run is about: setting `cache-key` and
    // calling dispatch() in the same task must not dispatch a second time.
    const targetMoved = changed.has('lessonId') || changed.has('cacheKey') || changed.has('baseUrl');
    if (this.hasUpdated && targetMoved && this.#target() !== this.#runTarget) this.#targetChanged();
    this.#maybeAutostart();
    const state = this.state;
    // Before render, so the host's `[state]` styles apply to the same frame.
    if (this.getAttribute('state') !== state) this.setAttribute('state', state);
    // Here rather than in updated(): setting `now` before render costs no second update.
    if (RUNNING.includes(state)) this.#startTicker();
    else this.#stopTicker();
  }

  protected override updated(): void {
    this.#unsaid = false;
    // After the render: a listener finds the element showing the state it is told about.
    const state = this.state;
    if (this.#told === state) return;
    this.#told = state;
    this.dispatchEvent(
      new CustomEvent<{ state: ExportState }>('pos-export-state-change', { detail: { state }, bubbles: true, composed: true }),
    );
  }

  /** The lesson, cache key or base URL changed: follow the new export, or drop the old outcome. */
  #targetChanged(): void {
    const state = this.state;
    this.#followKey = undefined;
    if (!this.lessonId) {
      this.cancel();
    } else if (state === 'dispatching') {
      void this.dispatch();
    } else if (RUNNING.includes(state)) {
      // Follow the new export; the old stream is closed by follow().
      this.#follow();
    } else if (state === 'completed' || state === 'error') {
      this.#reset();
    }
  }

  #maybeAutostart(): void {
    const key = `${this.lessonId}|${this.cacheKey}`;
    if (!this.autostart || !this.lessonId || this.state !== 'idle' || this.#autostarted === key) return;
    this.#autostarted = key;
    this.start();
  }

  #startTicker(): void {
    if (this.#ticker) return;
    this.now = Date.now();
    // Once a second; the elapsed time is not in the live region, so it is never announced.
    this.#ticker = setInterval(() => (this.now = Date.now()), 1000);
  }

  #stopTicker(): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  #announce(text: string): void {
    this.announcement = this.#unsaid ? `${this.announcement} ${text}` : text;
    if (!this.#unsaid) this.announcementId++;
    this.#unsaid = true;
  }

  /**
   * `url` resolved against the API's origin (the base URL may be another origin
   * than the page); undefined unless http: or https: (see `webUrl`).
   */
  #resolve(url: string): string | undefined {
    return webUrl(url, this.baseUrl || '/api');
  }

  /** Clears the previous run (outcome, request, stream) without announcing anything. */
  #reset(): void {
    this.#run++;
    this.#dispatchRequest?.abort();
    this.#dispatchRequest = undefined;
    this.#stream.close();
    this.result = undefined;
    this.failure = undefined;
    this.#to('idle');
  }

  /** What a run is about: a change of any part is a new export to follow. */
  #target(): string {
    return JSON.stringify([this.baseUrl, this.lessonId, this.cacheKey]);
  }

  /** A new run begins: clear the last one, start the clock, announce it once. */
  #begin(action: 'dispatch' | 'start'): boolean {
    this.#reset();
    this.#action = action;
    this.#runTarget = this.#target();
    if (!this.lessonId) {
      this.#fail({ message: this.#texts.noLesson, code: 'invalid_request' });
      return false;
    }
    this.startedAt = this.now = Date.now();
    this.#announce(this.#texts.started);
    // Loaded while the export runs; #complete waits for it (and reports a failure to load).
    loadCompleted().catch(() => {});
    return true;
  }

  #streamUrl(cacheKey: string | null): string {
    const query = new URLSearchParams({ lessonId: this.lessonId });
    if (cacheKey) query.set('cacheKey', cacheKey);
    return `${apiUrl(this.baseUrl || '/api', 'exports/pptx/stream')}?${query}`;
  }

  #follow(cacheKey: string | null = this.cacheKey): void {
    this.#run++;
    this.#runTarget = this.#target();
    this.#followKey = cacheKey;
    // No outcome to clear: every caller follows from a fresh run (#begin) or a running one.
    this.#stream.follow(this.#streamUrl(cacheKey));
  }

  async #complete(result: ExportResult): Promise<void> {
    // The stream controller checks its own results; a dispatch answered from the cache is checked here.
    const url = this.#resolve(result.url);
    if (!url) return this.#fail(unsafeUrlFailure());
    this.#stream.close();
    const run = this.#run;
    try {
      await loadCompleted();
    } catch (error) {
      // The view's chunk is not beside the bundle (a host copied pos-widgets.js alone).
      if (run === this.#run) this.#fail({ message: (error as Error).message, code: 'module_load_error' });
      return;
    }
    // Cancelled, or another run began, while the view loaded.
    if (run !== this.#run) return;
    this.result = result;
    this.failure = undefined;
    this.#to('completed');
    this.#announce(this.#texts.completed);
    const detail: ExportCompletedDetail = { url, costCents: result.costCents, model: result.model };
    this.dispatchEvent(new CustomEvent('pos-export-completed', { detail, bubbles: true, composed: true }));
  }

  /** The error state's heading, by status: the same rule as the pickers' (see `canRetry`). */
  #heading({ status }: ExportFailure): string {
    const t = this.#texts;
    return errorHeading(status, t, t.failed);
  }

  #fail(failure: ExportFailure): void {
    // Repeat what failed: a followed run is followed again; after a dispatch, the
    // dispatch, unless only the following failed (the connection was lost: the
    // job exists, so following it again must not dispatch a duplicate).
    this.#retryAction = this.#action === 'start' || failure.code === 'connection_lost' ? 'start' : 'dispatch';
    const message = failure.code === 'connection_lost' ? this.#texts.connectionLost(this.maxReconnects) : failure.message;
    this.#stream.close();
    this.result = undefined;
    this.failure = { ...failure, message };
    this.#to('error');
    this.#announce(this.#texts.failedAnnouncement(message, this.#heading(failure)));
    // A copy: the failure's own keys (message, and code and status when known), safe from the host.
    const detail: ExportErrorDetail = { ...this.failure };
    this.dispatchEvent(new CustomEvent('pos-export-error', { detail, bubbles: true, composed: true }));
  }

  /**
   * The default dispatcher: `POST /exports/pptx`, the reference server's own
   * route. A completed job is a cache hit; any other is followed (a failed one
   * too: the stream announces the same job's end, with the server's code).
   */
  async #post(request: ExportDispatchRequest): Promise<ExportDispatchResult | void> {
    const reader = await import('../internal/export-stream-reader.js').catch((error: Error) => {
      throw Object.assign(error, { code: 'module_load_error' });
    });
    return reader.postExport(apiUrl(this.baseUrl || '/api', 'exports/pptx'), request, requestJson);
  }

  /**
   * Starts the export with `dispatcher` (by default the reference server's
   * POST), then follows it; an export the dispatcher reports completed (a
   * cache hit) completes at once. Never rejects: failures, the dispatcher's
   * included, become the `error` state and a `pos-export-error` event.
   */
  async dispatch(): Promise<void> {
    if (!this.#begin('dispatch')) return;
    const request = (this.#dispatchRequest = new AbortController());
    this.#to('dispatch');
    // Whether this is still the current run (cancel() and a newer run replace and abort
    // `dispatchRequest`, so a late answer is ignored); it stops being the dispatch then.
    const current = () => {
      if (this.#dispatchRequest !== request) return false;
      this.#dispatchRequest = undefined;
      return true;
    };
    try {
      const outcome = await (this.dispatcher ?? this.#post).call(this, {
        lessonId: this.lessonId,
        cacheKey: this.cacheKey || null,
        signal: request.signal,
      });
      const done = outcome?.completed;
      // #complete checks the url like every other (webUrl), a host's included.
      if (!current()) return;
      if (done) await this.#complete({ url: done.url, costCents: done.costCents ?? 0, model: done.model ?? '' });
      else this.#follow(outcome?.cacheKey);
    } catch (error) {
      // A host's Error keeps its sentence; its code and status count when it has them (a PosApiError does).
      const { message, code, status } = (error ?? {}) as Partial<PosApiError>;
      if (current())
        this.#fail({
          message: message || 'The export could not be started.',
          code: code || 'dispatch_failed',
          ...(status ? { status } : {}),
        });
    }
  }

  /** Follows the lesson's export without dispatching it (the host dispatched it). */
  start(): void {
    if (this.#begin('start')) this.#follow();
  }

  /** Stops: aborts the dispatch (the dispatcher's `signal`), closes the stream, back to `idle`. Announces nothing. */
  cancel(): void {
    this.#reset();
    this.#action = undefined;
  }

  /**
   * Repeats what failed (the Retry button): `start()` after a followed run or a
   * lost connection, `dispatch()` after a failed dispatch or a failed export.
   * Works after a 402 or 403 too, which show no Retry: for a host that knows
   * what changed (the plan was upgraded, the user switched account).
   */
  retry(): void {
    if (this.#retryAction === 'start') {
      // Still a dispatched run for the next retry's purposes, if it was one, and
      // following the key it followed (a dispatcher's may not be `cacheKey`).
      const key = this.#followKey;
      if (this.#begin(this.#action ?? 'start')) this.#follow(key);
    } else {
      void this.dispatch();
    }
  }

  #renderRunning(state: ExportState): TemplateResult {
    const t = this.#texts;
    const label = state === 'reconnecting' ? t.reconnecting(this.#stream.attempt, this.maxReconnects) : t[state as 'waiting'];
    const seconds = Math.max(0, Math.floor((this.now - this.startedAt) / 1000));
    const alive = state === 'waiting' && this.#stream.beats > 0;
    return html`
      <div part="header">
        <span
          part="liveness"
          role="img"
          aria-label=${alive ? t.alive : label}
          ?data-alive=${alive}
          data-beat=${alive ? String(this.#stream.beats % 2) : nothing}
        ></span>
        <span part="label">${label}</span>
        <time part="elapsed" datetime=${`PT${seconds}S`}>${t.elapsed(seconds, formatElapsed(seconds, this.#l10n.locale))}</time>
      </div>
      <div part="progress" role="progressbar" aria-label=${t.progressLabel(this.lessonTitle || undefined)}>
        <div part="progress-indicator"></div>
      </div>
      <div part="actions">
        <button type="button" part="cancel" @click=${() => this.cancel()}>${t.cancel}</button>
      </div>
    `;
  }

  #renderError(failure: ExportFailure): TemplateResult {
    return html`
      <p part="title">${this.#heading(failure)}</p>
      <p part="message">${failure.message}</p>
      ${
        canRetry(failure)
          ? html`<div part="actions">
              <button type="button" part="retry" @click=${() => this.retry()}>${this.#texts.retry}</button>
            </div>`
          : nothing
      }
    `;
  }

  #renderIdle(): TemplateResult {
    return html`
      <div part="actions">
        <button type="button" part="export" ?disabled=${!this.lessonId} @click=${() => void this.dispatch()}>${this.#texts.export}</button>
      </div>
    `;
  }

  protected override render(): TemplateResult {
    const state = this.state;
    // Only a web URL is ever an href, whatever path set the result.
    const url = this.url;
    return html`
      ${
        state === 'completed' && url && completedView
          ? completedView.renderCompleted(html, this.#texts, {
              result: this.result!,
              url,
              lessonTitle: this.lessonTitle,
              locale: this.locale || this.#l10n.locale,
              currency: this.currency,
            })
          : state === 'error' && this.failure
            ? this.#renderError(this.failure)
            : RUNNING.includes(state)
              ? this.#renderRunning(state)
              : this.#renderIdle()
      }
      <div part="status" role="status" class="visually-hidden">
        ${
          // A text and a list of one text taken in turn: Lit makes a new text node at each switch, so
          // an identical announcement (a second start) is a new node and is announced again.
          this.announcementId % 2 ? [this.announcement] : this.announcement
        }
      </div>
    `;
  }
}
