/*
 * How many export streams a page keeps open to one origin at once.
 *
 * Over HTTP/1.1 every open stream holds one of the browser's connections to
 * the API's origin for the whole export, and a browser keeps at most six per
 * origin (per profile: all tabs together). With six streams open, nothing else
 * reaches the API: a picker's request waits behind them until it times out.
 * So over HTTP/1.1 the page's streams to an origin stay under
 * `HTTP1_STREAM_LIMIT`, leaving two connections for everything else; the
 * others wait (`queued`) for a free slot, in the order they asked (the
 * streams' map in export-stream-controller.ts is the queue). Over HTTP/2 and
 * HTTP/3 streams share one connection and there is no limit, which the page
 * learns from Resource Timing's `nextHopProtocol` of any answer from that
 * origin (cross-origin, only when the API sends `Timing-Allow-Origin` for the
 * page; without it the limit stays). An element's `stream-limit` replaces the
 * rule for its stream.
 */

/** Streams to one origin over HTTP/1.1 (or an unknown protocol): the browser's 6, less 2 for everything else. */
export const HTTP1_STREAM_LIMIT = 4;

/**
 * How many streams may be open to `origin`: `explicit` if above 0 (an
 * element's `stream-limit`), else none over HTTP/2 or HTTP/3, else
 * `HTTP1_STREAM_LIMIT`. The protocol is read from the answers the page has
 * had from `origin` when a stream would wait, so the export's own dispatch
 * (or a picker's answer) usually tells before its stream opens.
 */
export const streamLimit = (origin: string, explicit: number): number =>
  explicit > 0
    ? explicit
    : performance
          .getEntriesByType('resource')
          .some((entry) => entry.name.startsWith(`${origin}/`) && /^h[23]/.test((entry as PerformanceResourceTiming).nextHopProtocol))
      ? Infinity
      : HTTP1_STREAM_LIMIT;
