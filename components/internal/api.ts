/** What went wrong talking to the API, in a form an element can render and report. */
export class PosApiError extends Error {
  override name = 'PosApiError';
  constructor(
    message: string,
    /** The machine code: the API's `code`, or `network_error`, `invalid_response`, `http_error`. */
    readonly code: string,
    /** The HTTP status, when a response arrived. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * Whether asking again can help. Not for 403 (the user's role does not permit
 * it: PartnerOS's partner role on internal endpoints) nor 402 (a quota is
 * spent): the same request gets the same answer until something outside the
 * element changes. 401 can: the host may sign the user in again.
 */
export const canRetry = (error: { status?: number }): boolean => error.status !== 402 && error.status !== 403;

/** The texts an element heads its error state with, by the failure's status. */
export interface ErrorHeadings {
  /** 401: the session is missing or expired. */
  signedOut: string;
  /** 403: the user's role has no access. */
  forbidden: string;
  /** 402: a quota is spent. */
  quotaExceeded: string;
}

/** The error state's heading: the same rule in every element (see `canRetry` for which of them offer a Retry). */
export const errorHeading = (status: number | undefined, texts: ErrorHeadings, other: string): string =>
  status === 401 ? texts.signedOut : status === 403 ? texts.forbidden : status === 402 ? texts.quotaExceeded : other;

/** `base` + `path` with exactly one slash between them; `base` may be relative (`/api`). */
export function apiUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

const isErrorBody = (body: unknown): body is { error: string; code?: string } =>
  !!body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string';

/** How long a request may take, headers and body, before it fails with `timeout`. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Fetches JSON with the session cookie (also across origins) and turns every
 * failure into a PosApiError with a readable sentence: the API's own `error`
 * for its JSON errors, a plain message for network failures, non-JSON bodies
 * and answers that never end (`timeoutMs`). Aborts by the caller (a newer
 * request superseded this one) are rethrown as is.
 */
export async function requestJson(url: string, init: RequestInit = {}, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<unknown> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  const failed = (error: unknown) => {
    if (timeout.aborted) return new PosApiError('The server did not answer in time. Try again.', 'timeout');
    if ((error as Error).name === 'AbortError') return error;
    return undefined;
  };
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'include', ...init, signal, headers: { accept: 'application/json', ...init.headers } });
  } catch (error) {
    throw failed(error) ?? new PosApiError('Cannot reach the server. Check your connection and try again.', 'network_error');
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    const thrown = failed(error);
    if (thrown) throw thrown;
    body = undefined;
  }
  if (!response.ok) {
    if (isErrorBody(body)) throw new PosApiError(body.error, body.code ?? 'http_error', response.status);
    throw new PosApiError(`The server answered ${response.status} ${response.statusText}`.trim() + '.', 'http_error', response.status);
  }
  if (body === undefined) throw new PosApiError('The server sent a response that is not valid JSON.', 'invalid_response', response.status);
  return body;
}
