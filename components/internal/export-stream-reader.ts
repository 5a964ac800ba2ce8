import { SSE_MAX_LENGTH, createSseParser, type SseEvent } from './sse-parser.js';
import type { requestJson } from './api.js';
import type { ExportFailure, ExportResult } from './export-stream-controller.js';
import type {
  ExportCompletedDetail,
  ExportDispatchRequest,
  ExportDispatchResult,
} from '../pptx-export-progress/pptx-export-progress.component.js';

/*
 * What the reference server answers an export, read in a chunk of its own:
 * the default dispatch (`POST /exports/pptx`) and the stream's answer (the
 * error answer, the event stream parsed into the export's outcome). The
 * element asks for it when it dispatches, the stream controller with the
 * stream's first request (so it arrives while the server answers): pages that
 * never run an export do not load it. It imports nothing the bundle holds
 * (only types; `requestJson` comes from the caller), so the bundle stays one
 * file plus its chunks.
 */

/**
 * Codes of a server-sent `event: error` that do not end the export, so the
 * stream is followed again (with the usual backoff and bound) instead of ending
 * in `error`: `server_restarting` is sent to open streams on a graceful
 * shutdown, and the export goes on in the next instance.
 */
export const RECONNECT_CODES: ReadonlySet<string> = new Set(['server_restarting']);

/** How the reader tells the stream what its answer says. */
export interface StreamReading {
  /** Whether a newer request (or the stream's end) has replaced this one: then nothing more is told. */
  stale(): boolean;
  /** The answer is an event stream: it is open. */
  open(): void;
  /** A chunk arrived (the silence timer starts again). */
  chunk(): void;
  /** A heartbeat or an event: a sign of life. */
  alive(): void;
  /** The server's `retry:` field, in ms. */
  retry(ms: number): void;
  /** The connection failed, broke off or the server is restarting: follow again after a backoff. */
  dropped(cause?: ExportFailure): void;
  /** Final: the export failed, or the answer cannot be followed. */
  fail(failure: ExportFailure): void;
  /** A well-formed `completed` event's data (its url is checked by the stream, with `webUrl`). */
  completed(result: ExportResult): void;
  /** Stops the request (an answer that is not an event stream). */
  abort(): void;
}

const isResult = (v: unknown): v is ExportResult =>
  !!v &&
  typeof v === 'object' &&
  typeof (v as ExportResult).url === 'string' &&
  typeof (v as ExportResult).costCents === 'number' &&
  typeof (v as ExportResult).model === 'string';

/** Reads `response` to its outcome, or to a drop. */
export async function readStream(response: Response, on: StreamReading): Promise<void> {
  if (!response.ok) {
    const failure = await readError(response);
    if (on.stale()) return;
    // 5xx and 429 may pass: try again. Any other answer (the pre-checks' 4xx) is final.
    if (response.status >= 500 || response.status === 429) on.dropped(failure);
    else on.fail(failure);
    return;
  }
  if (!(response.headers.get('content-type') ?? '').includes('text/event-stream') || !response.body) {
    on.abort();
    on.fail({ message: 'The server did not answer with an event stream.', code: 'invalid_response', status: response.status });
    return;
  }

  on.open();
  const onEvent = ({ event: type = 'message', data: text }: SseEvent) => {
    if (type !== 'completed' && type !== 'error') return;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      // Not JSON: `data` stays undefined, which neither outcome accepts as its data.
    }
    if (type === 'completed') {
      if (isResult(data)) on.completed(data);
      else on.fail({ message: 'The server sent a completion without a file.', code: 'invalid_response' });
    } else {
      const { message, code } = (data ?? {}) as { message?: unknown; code?: unknown };
      const failure: ExportFailure = { message: typeof message === 'string' && message ? message : text || 'The export failed.' };
      if (typeof code === 'string' && code) failure.code = code;
      // Not the export's end (e.g. a graceful restart): follow it again, like a dropped connection.
      if (failure.code && RECONNECT_CODES.has(failure.code)) on.dropped(failure);
      else on.fail(failure);
    }
  };
  const parser = createSseParser({
    // `: connected` only proves the request got through; a heartbeat or an event proves the stream lives.
    onComment: (text) => text !== 'connected' && on.alive(),
    onRetry: (ms) => on.retry(ms),
    onEvent: (event) => {
      on.alive();
      onEvent(event);
    },
    // Final, not a drop: reconnecting would fetch the same garbage again.
    onOverflow: () =>
      on.fail({
        message: `The server sent an event stream line or event over ${SSE_MAX_LENGTH} characters.`,
        code: 'invalid_response',
      }),
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (on.stale()) return;
      if (done) break;
      on.chunk();
      parser.feed(value);
      if (on.stale()) return; // an outcome arrived and closed the stream
    }
  } catch {
    if (on.stale()) return;
  } finally {
    // Releases the body if we stopped reading early (an outcome, a newer request).
    reader.cancel().catch(() => {});
  }
  // The stream broke off or ended without `completed`/`error`: the server went away.
  if (!on.stale()) on.dropped();
}

/** What went wrong, from a non-OK response: the API's JSON `{ error, code }` when it sent one. */
async function readError(response: Response): Promise<ExportFailure> {
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

interface ExportJob {
  status: 'pending' | 'completed' | 'failed';
  url?: string;
  costCents?: number;
  model?: string;
}

/**
 * The element's default dispatcher: `POST /exports/pptx` (`url`), the
 * reference server's own route. A completed job is a cache hit; any other is
 * followed (a failed one too: the stream announces the same job's end, with
 * the server's code). `request` is the bundle's `requestJson`.
 */
export async function postExport(
  url: string,
  { lessonId, cacheKey, signal }: ExportDispatchRequest,
  request: typeof requestJson,
): Promise<ExportDispatchResult | void> {
  const { job } = ((await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(cacheKey ? { lessonId, cacheKey } : { lessonId }),
    signal,
  })) ?? {}) as { job?: ExportJob };
  if (!job?.status) throw Object.assign(new Error('The server sent a response without an export job.'), { code: 'invalid_response' });
  if (job.status === 'completed' && typeof job.url === 'string') return { completed: job as ExportCompletedDetail };
}
