/*
 * How many export streams a page keeps open to one origin at once.
 *
 * Over HTTP/1.1 every open stream holds one of the browser's connections to
 * the API's origin for the whole export, and a browser keeps at most six per
 * origin (per profile: all tabs together). With six streams open, nothing else
 * reaches the API: a picker's request waits behind them until it times out.
 * So over HTTP/1.1 the page's streams to an origin stay under
 * `HTTP1_STREAM_LIMIT`, leaving two connections for everything else; the
 * others wait for a free slot, in the order they asked. Over HTTP/2 and
 * HTTP/3 streams share one connection and there is no limit, which the page
 * learns from Resource Timing's `nextHopProtocol` of any answer from that
 * origin (cross-origin, only when the API sends `Timing-Allow-Origin` for the
 * page). An element's `stream-limit` replaces the rule for its stream.
 */

/** Streams to one origin over HTTP/1.1 (or an unknown protocol): the browser's 6, less 2 for everything else. */
export const HTTP1_STREAM_LIMIT = 4;

interface Waiter {
  origin: string;
  /** An explicit limit for this stream (`stream-limit`); 0 or less: the protocol's. */
  limit: () => number;
  start: () => void;
  holds?: boolean;
}

const waiting: Waiter[] = [];
const holding = new Map<string, number>();
/** Origins seen answering over HTTP/2 or HTTP/3. */
const multiplexed = new Set<string>();
let watching = false;

const note = (entries: PerformanceEntryList) => {
  for (const entry of entries)
    if (/^h[23]/.test((entry as PerformanceResourceTiming).nextHopProtocol)) multiplexed.add(new URL(entry.name).origin);
};

function drain(): void {
  for (const waiter of [...waiting]) {
    const held = holding.get(waiter.origin) ?? 0;
    const limit = waiter.limit() > 0 ? waiter.limit() : multiplexed.has(waiter.origin) ? Infinity : HTTP1_STREAM_LIMIT;
    if (held >= limit) continue;
    waiting.splice(waiting.indexOf(waiter), 1);
    holding.set(waiter.origin, held + 1);
    waiter.holds = true;
    waiter.start();
  }
}

/**
 * Calls `start` once a stream to `url`'s origin may open: at once if a slot
 * is free, else when one frees (or the origin turns out to speak HTTP/2).
 * Returns the function that gives the slot, or the place in the queue, back.
 */
export function takeSlot(url: string, limit: () => number, start: () => void): () => void {
  if (!watching) {
    watching = true;
    note(performance.getEntriesByType('resource'));
    // Answers keep arriving (a picker's, a dispatch's): one over HTTP/2 lets the waiting streams open.
    new PerformanceObserver((list) => {
      note(list.getEntries());
      drain();
    }).observe({ type: 'resource' });
  }
  const waiter: Waiter = { origin: new URL(url).origin, limit, start };
  waiting.push(waiter);
  drain();
  return () => {
    const index = waiting.indexOf(waiter);
    if (index >= 0) waiting.splice(index, 1);
    if (!waiter.holds) return;
    waiter.holds = false;
    holding.set(waiter.origin, holding.get(waiter.origin)! - 1);
    drain();
  };
}
