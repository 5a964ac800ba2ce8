import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';

/** What a stream handler needs of the connection, whatever carries it. */
export interface EventChannel {
  /** Sends SSE text as is: comments (`: …\n\n`) or whole events (see `sseEvent`). */
  write(text: string): void;
  /** Ends the response, after `last` if given (one write: the fan-out to thousands of streams is cheaper). */
  end(last?: string): void;
  /** Called once if the client goes away before `end()`. */
  onClose(listener: () => void): void;
}

/** One SSE event with JSON data, as it goes on the wire. */
export const sseEvent = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

// The answer that tells @hono/node-server the response was written already.
// node-server (2.1.9) honours that header only on a standard Response, not on
// the lighter one it installs globally when it starts listening: this module
// is loaded before then, so `StandardResponse` is the standard one.
const StandardResponse = globalThis.Response;

const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
  'x-content-type-options': 'nosniff',
  connection: 'keep-alive',
} as const;

/**
 * Answers with an event stream and hands `run` the channel to write to.
 *
 * On @hono/node-server the stream is written straight to Node's ServerResponse.
 * Hono's streamSSE puts a WHATWG TransformStream and a reader loop between the
 * two, which measured 18 KB of heap per open stream more than the response
 * itself and a 1 s fan-out to 5,000 streams (BENCHMARKS.md, bench:sse): too
 * much for a stream that mostly waits. Headers already set by middleware that
 * runs before the handler (CORS) are kept. Elsewhere (in-process `app.request`,
 * other runtimes) it falls back to streamSSE, with the same wire format.
 */
export function respondWithEventStream(c: Context, run: (channel: EventChannel) => void): Response {
  const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
  if (outgoing && 'writeHead' in outgoing) {
    outgoing.writeHead(200, { ...Object.fromEntries(c.res.headers), ...SSE_HEADERS });
    outgoing.flushHeaders();
    // Replace, not merge: Hono would rebuild our answer over the response that
    // middleware prepared (its headers were just written) as node-server's
    // lighter Response, on which the already-sent header is ignored.
    const sent = new StandardResponse(null, { headers: { 'x-hono-already-sent': 'true' } });
    c.res = undefined as unknown as Response;
    c.res = sent;
    run({
      write: (text) => void outgoing.write(text),
      end: (last) => void (last ? outgoing.end(last) : outgoing.end()),
      onClose: (listener) => outgoing.once('close', listener),
    });
    return sent;
  }

  for (const [name, value] of Object.entries(SSE_HEADERS)) c.header(name, value);
  return streamSSE(c, (stream) => {
    // streamSSE ends the response when this promise settles.
    return new Promise<void>((resolve) => {
      const write = (text: string) => stream.write(text).catch(() => undefined);
      run({ write: (text) => void write(text), end: (last) => void (last ? write(last).then(() => resolve()) : resolve()), onClose: (listener) => stream.onAbort(listener) });
    });
  });
}
