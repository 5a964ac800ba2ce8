/** One dispatched event of a `text/event-stream`. */
export interface SseEvent {
  /** The `event:` field; undefined means the default type, `message`. */
  event: string | undefined;
  data: string;
}

export interface SseHandlers {
  onEvent(event: SseEvent): void;
  /** A comment line (`: text`), with one leading space removed: heartbeats are comments. */
  onComment?(text: string): void;
  /** A valid `retry:` field, in milliseconds. */
  onRetry?(ms: number): void;
  /** A line or one event's data went past `SSE_MAX_LENGTH`; the parser ignores the rest of the stream. */
  onOverflow?(): void;
}

/**
 * The longest line, and the longest data of one event, the parser accepts: 1 Mi
 * characters (1 MiB of ASCII). A stream that never sends a line break (or
 * never a blank line) would otherwise grow the buffer without bound; past this
 * it is taken as garbage, what was buffered is dropped and `onOverflow` called.
 * The API's events are a few hundred bytes.
 */
export const SSE_MAX_LENGTH = 1 << 20;

/**
 * An incremental `text/event-stream` parser following the HTML standard's
 * "interpret an event stream" steps: feed it text in chunks split anywhere.
 *
 * Our own few lines rather than eventsource-parser, the library we used first
 * and still test against (test/components/sse-parser.test.ts gives both the
 * same random streams): it was 1.6 KB of the bundle's 20 KB brotli target.
 * `id:` lines are ignored: the server sends no ids, and the client sends no
 * Last-Event-ID (see export-stream-controller.ts).
 */
export function createSseParser({ onEvent, onComment, onRetry, onOverflow }: SseHandlers) {
  let pending = ''; // text after the last complete line
  let atStart = true;
  let afterCR = false; // the last chunk ended with CR: a LF opening the next one is the rest of a CRLF
  let data = '';
  let event: string | undefined;
  let over = false;

  const overflow = () => {
    over = true;
    pending = data = '';
    onOverflow?.();
  };

  const line = (text: string) => {
    if (text.length > SSE_MAX_LENGTH) return overflow();
    if (!text) {
      // A blank line dispatches; with no data line since the last one there is no event.
      if (data) onEvent({ event, data: data.slice(0, -1) });
      data = '';
      event = undefined;
      return;
    }
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? '' : text.slice(text[colon + 1] === ' ' ? colon + 2 : colon + 1);
    if (colon === 0) onComment?.(value);
    else if (field === 'data') {
      // +1: the data's last newline is not part of the event.
      if ((data += `${value}\n`).length > SSE_MAX_LENGTH + 1) overflow();
    } else if (field === 'event') event = value;
    else if (field === 'retry' && /^\d+$/.test(value)) onRetry?.(Number(value));
  };

  return {
    feed(chunk: string): void {
      if (!chunk || over) return;
      if (atStart) {
        atStart = false;
        if (chunk[0] === '\uFEFF') chunk = chunk.slice(1);
      }
      if (afterCR && chunk[0] === '\n') chunk = chunk.slice(1);
      pending += chunk;
      // Lines end at CRLF, LF or CR; a CR ends its line at once (a heartbeat counts the moment it arrives).
      const ends = /\r\n|\n|\r/g;
      let from = 0;
      for (let m; !over && (m = ends.exec(pending)); from = m.index + m[0].length) line(pending.slice(from, m.index));
      afterCR = pending.endsWith('\r') && from === pending.length;
      pending = pending.slice(from);
      // An unfinished line already too long: it cannot become a valid one.
      if (pending.length > SSE_MAX_LENGTH) overflow();
    },
  };
}
