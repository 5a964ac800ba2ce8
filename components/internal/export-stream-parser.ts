/**
 * A small, spec-following parser for `text/event-stream` bodies (WHATWG HTML,
 * "Server-sent events", §9.2.6 "Interpreting an event stream"), for reading a
 * stream with `fetch` instead of `EventSource`.
 *
 * Unlike `EventSource` it reports comment lines (`: connected`, `:hb`) too,
 * which is what lets an element show liveness from the server's heartbeats.
 */

/** One dispatched event, as `EventSource` would have delivered it. */
export interface SseEvent {
  /** The `event:` field, `message` when absent. */
  type: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The last `id:` seen (the "last event ID buffer"). */
  lastEventId: string;
}

export interface SseParserHandlers {
  onEvent?(event: SseEvent): void;
  /** A comment line's text after the colon, with one leading space removed (`:hb` → `hb`). */
  onComment?(text: string): void;
  /** A valid `retry:` field (milliseconds). */
  onRetry?(ms: number): void;
}

/**
 * Feed it decoded text in chunks of any size (a line, a field or even a CRLF
 * may be split across chunks); it calls the handlers as complete lines arrive.
 *
 * @example
 * const parser = new SseParser({ onEvent: (e) => console.log(e.type, e.data) });
 * parser.push('event: completed\ndata: {"url":"/x"}\n\n');
 */
export class SseParser {
  private buffer = '';
  private data = '';
  private hasData = false;
  private type = '';
  private lastEventId = '';
  private started = false;
  /** The previous chunk ended in CR: a LF starting the next one belongs to it. */
  private pendingCr = false;

  constructor(private readonly handlers: SseParserHandlers) {}

  push(chunk: string): void {
    if (!chunk) return;
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1); // one leading BOM is ignored
    }
    if (this.pendingCr && chunk[0] === '\n') chunk = chunk.slice(1);
    this.pendingCr = false;
    this.buffer += chunk;

    let start = 0;
    for (;;) {
      const cr = this.buffer.indexOf('\r', start);
      const lf = this.buffer.indexOf('\n', start);
      if (cr === -1 && lf === -1) break;
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      const line = this.buffer.slice(start, end);
      if (this.buffer[end] === '\r') {
        if (end + 1 === this.buffer.length) {
          // Cannot tell yet whether a LF follows; the line is complete either way.
          this.pendingCr = true;
          start = end + 1;
        } else {
          start = this.buffer[end + 1] === '\n' ? end + 2 : end + 1;
        }
      } else {
        start = end + 1;
      }
      this.line(line);
    }
    this.buffer = this.buffer.slice(start);
  }

  /** The stream ended: an incomplete event is discarded, as the spec says. */
  end(): void {
    this.buffer = '';
    this.data = '';
    this.hasData = false;
    this.type = '';
    this.pendingCr = false;
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line[0] === ':') {
      this.handlers.onComment?.(line[1] === ' ' ? line.slice(2) : line.slice(1));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    switch (field) {
      case 'event':
        this.type = value;
        break;
      case 'data':
        this.data += value + '\n';
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.handlers.onRetry?.(Number(value));
        break;
      default:
        // Unknown fields are ignored.
        break;
    }
  }

  private dispatch(): void {
    const { hasData, type } = this;
    const data = this.data.endsWith('\n') ? this.data.slice(0, -1) : this.data;
    this.data = '';
    this.hasData = false;
    this.type = '';
    if (!hasData) return; // an event without data lines is not dispatched
    this.handlers.onEvent?.({ type: type || 'message', data, lastEventId: this.lastEventId });
  }
}
