import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Machine-readable error codes of the API; the README lists them with their statuses. */
export const ErrorCode = {
  invalid_request: 400,
  no_active_organization: 400,
  invalid_credentials: 401,
  unauthorized: 401,
  // PartnerOS answers 402 for its quota-gated AI features; the code is ours.
  quota_exceeded: 402,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  too_many_requests: 429,
  internal_error: 500,
  storage_unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ErrorCode;

/**
 * The `code` of every `event: error` on the export stream (the README lists them).
 * All but `server_restarting` end the export for the client: that one is sent at
 * a graceful shutdown, and the export goes on in the next instance.
 */
export const StreamErrorCode = {
  /** The generation failed; the message says why. */
  export_failed: 'export_failed',
  /** No result in time: the stream's own timeout, or the job passed its deadline (then it is marked failed). */
  timed_out: 'timed_out',
  /** The server cannot read or write its database, so it cannot follow or record the export. */
  storage_unavailable: 'storage_unavailable',
  server_restarting: 'server_restarting',
} as const;
export type StreamErrorCode = keyof typeof StreamErrorCode;

/** The body of every error response. */
export interface ErrorBody {
  error: string;
  code: ErrorCode | string;
}

/** An error meant for the client: thrown anywhere, shaped by `onError`. */
export class ApiError extends HTTPException {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(ErrorCode[code] as ContentfulStatusCode, { message });
  }
}

const codeForStatus = (status: number): string =>
  (Object.entries(ErrorCode).find(([, s]) => s === status)?.[0] as string | undefined) ??
  (status >= 500 ? 'internal_error' : 'invalid_request');

export function errorJson(c: Context, status: number, body: ErrorBody): Response {
  return c.json(body, status as ContentfulStatusCode);
}

/**
 * The one place errors become responses. Client errors keep their message;
 * anything unexpected is logged and answered with a fixed sentence, so no stack
 * trace or SQL ever reaches a body.
 */
// SQLite's answers when the database cannot be written (read-only file, full disk, I/O error).
const STORAGE_ERROR = /^SQLITE_(READONLY|FULL|IOERR|CANTOPEN|CORRUPT|NOTADB)/;

export const onError: ErrorHandler = (err, c) => {
  if (err instanceof ApiError) return errorJson(c, err.status, { error: err.message, code: err.code });
  if (STORAGE_ERROR.test((err as { code?: string }).code ?? '')) {
    console.error(`${c.req.method} ${c.req.path}: storage error:`, err.message);
    return errorJson(c, 503, {
      error: 'The server cannot use its database right now (read-only or full disk). Try again later.',
      code: 'storage_unavailable',
    });
  }
  if (err instanceof HTTPException && err.status < 500) {
    // Hono's own 4xx (malformed JSON, body limit…): keep the status, give it our shape.
    return errorJson(c, err.status, { error: err.message || 'The request is not valid.', code: codeForStatus(err.status) });
  }
  console.error(`${c.req.method} ${c.req.path} failed:`, err);
  return errorJson(c, 500, { error: 'Something went wrong on the server. Try again later.', code: 'internal_error' });
};

export const onNotFound: NotFoundHandler = (c) =>
  errorJson(c, 404, { error: `No route ${c.req.method} ${c.req.path}.`, code: 'not_found' });
