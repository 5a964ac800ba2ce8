import { DEFAULT_TIMEOUT_MS, PosApiError, apiUrl, requestJson } from './api.js';

/**
 * One request per URL for every picker on the page: concurrent callers share
 * the request in flight, later callers get the cached result, `refresh`
 * drops the cache entry so the next call reloads. Failures are never cached,
 * so a Retry really asks the server again.
 *
 * Each caller passes its own AbortSignal (a Task's): aborting it only detaches
 * that caller; the shared request itself is aborted once nobody waits for it.
 */
interface Entry {
  promise: Promise<unknown>;
  controller: AbortController;
  waiting: number;
  settled: boolean;
}

const entries = new Map<string, Entry>();

/** The cache key: the absolute URL, so `/api` and `http://host/api` share. */
const keyOf = (url: string) => new URL(url, document.baseURI).href;

function start(key: string, timeoutMs: number): Entry {
  const controller = new AbortController();
  const entry: Entry = { controller, waiting: 0, settled: false, promise: requestJson(key, { signal: controller.signal }, timeoutMs) };
  entry.promise.then(
    () => (entry.settled = true),
    () => {
      entry.settled = true;
      if (entries.get(key) === entry) entries.delete(key);
    },
  );
  entries.set(key, entry);
  return entry;
}

const abortError = (signal: AbortSignal) =>
  signal.reason instanceof Error ? signal.reason : new DOMException('The request was superseded.', 'AbortError');

/**
 * The parsed JSON body at `url`, shared with every other caller of the same URL.
 * `timeoutMs` applies to a request this call starts (a shared one keeps its own).
 */
export function loadShared(url: string, signal?: AbortSignal, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<unknown> {
  const key = keyOf(url);
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const entry = entries.get(key) ?? start(key, timeoutMs);
  entry.waiting++;
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = () => {
      if (done) return false;
      done = true;
      entry.waiting--;
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const onAbort = () => {
      if (!finish()) return;
      // Nobody else waits: stop the request and forget it, so the next caller starts afresh.
      if (!entry.settled && entry.waiting === 0) {
        entry.controller.abort();
        if (entries.get(key) === entry) entries.delete(key);
      }
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    entry.promise.then(
      (value) => finish() && resolve(value),
      (error) => finish() && reject(error),
    );
  });
}

/** Forgets the cached response for `url` (all of them without an argument): the next load asks the server. */
export function refreshShared(url?: string): void {
  if (url === undefined) entries.clear();
  else entries.delete(keyOf(url));
}

/**
 * The records of a picker endpoint: `{ [key]: [...] }` as the API answers, or
 * a bare array, which some proxies and older servers send.
 */
export async function loadRecords<T>(
  baseUrl: string,
  endpoint: string,
  key: string,
  signal?: AbortSignal,
  timeoutMs?: number,
): Promise<T[]> {
  const body = await loadShared(apiUrl(baseUrl, endpoint), signal, timeoutMs);
  return unwrapRecords<T>(body, key);
}

export function unwrapRecords<T>(body: unknown, key: string): T[] {
  if (Array.isArray(body)) return body as T[];
  const list = body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  if (Array.isArray(list)) return list as T[];
  throw new PosApiError(`The server's answer has no "${key}" list.`, 'invalid_response');
}
