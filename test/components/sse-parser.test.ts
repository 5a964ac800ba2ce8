import { expect } from '@open-wc/testing';
import { createParser } from 'eventsource-parser';
import fc from 'fast-check';
import { SSE_MAX_LENGTH, createSseParser } from '../../components/internal/sse-parser.js';

type Seen = (string | [string, string])[];

/** Everything a parser reports for `chunks`, in order: events as [type, data], comments and retries as text. */
function run(make: typeof ours, chunks: string[]): Seen {
  const seen: Seen = [];
  const feed = make(seen);
  for (const chunk of chunks) feed(chunk);
  return seen;
}
const ours = (seen: Seen) => {
  const parser = createSseParser({
    onEvent: ({ event, data }) => seen.push([event ?? 'message', data]),
    onComment: (text) => seen.push(`comment ${text}`),
    onRetry: (ms) => seen.push(`retry ${ms}`),
  });
  return (chunk: string) => parser.feed(chunk);
};
// eventsource-parser, the well-kept library the parser replaced, as the oracle.
const library = (seen: Seen) => {
  const parser = createParser({
    onEvent: ({ event, data }) => seen.push([event ?? 'message', data]),
    onComment: (text) => seen.push(`comment ${text}`),
    onRetry: (ms) => seen.push(`retry ${ms}`),
  });
  return (chunk: string) => parser.feed(chunk);
};

/** Every way of cutting `text` into two chunks, and one chunk per character. */
const splits = (text: string) => [...Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]), [...text]];

describe('createSseParser', () => {
  const stream =
    '\uFEFF: connected\n\n:hb\r\n\r\nevent: completed\r\ndata: {"url":"/x.pptx"}\r\n\r\ndata:one\rdata:  two\r\rretry: 1500\n' +
    'data\n\nevent: error\ndata: {"message":"a: b"}\nid: 7\nunknown: field\n\nevent: ignored-without-data\n\nretry: 1.5\ndata: unfinished';

  it('reads events, comments and retry the way the standard says, whatever the line endings', () => {
    expect(run(ours, [stream])).to.deep.equal([
      'comment connected',
      'comment hb',
      ['completed', '{"url":"/x.pptx"}'],
      ['message', 'one\n two'],
      'retry 1500',
      ['message', ''],
      ['error', '{"message":"a: b"}'],
    ]);
  });

  it('gives the same result however the text is cut into chunks (a CRLF split in two included)', () => {
    const whole = run(ours, [stream]);
    for (const chunks of splits(stream)) expect(run(ours, chunks), JSON.stringify(chunks)).to.deep.equal(whole);
  });

  it('strips one BOM at the start only', () => {
    // A second BOM is text: its line's field is "\uFEFFdata", which is unknown, so no event.
    expect(run(ours, ['', '\uFEFFdata: a\n\n', '\uFEFFdata: b\n\n'])).to.deep.equal([['message', 'a']]);
  });

  it('agrees with eventsource-parser on random streams cut at random places', () => {
    const line = fc.oneof(
      fc.constantFrom(
        '',
        ':',
        ': hb',
        'data',
        'data:',
        'data: x',
        'data:  y',
        'event: completed',
        'event:error',
        'retry: 20',
        'retry: x',
        'foo: bar',
        'id: 1',
      ),
      fc.string({ maxLength: 12 }).filter((s) => !/[\r\n\uFEFF\0]/.test(s)),
    );
    const text = fc
      .array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 30 })
      .map((lines) => lines.map(([l, end]) => l + end).join(''));
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 6 }), (t, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (t.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((start, i, all) => t.slice(start, all[i + 1] ?? t.length));
        expect(run(ours, chunks)).to.deep.equal(run(library, chunks));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('createSseParser: the buffer is bounded (SSE_MAX_LENGTH)', () => {
  /** A parser that records what it reports, overflows included. */
  const bounded = () => {
    const seen: Seen = [];
    const parser = createSseParser({
      onEvent: ({ event, data }) => seen.push([event ?? 'message', data]),
      onComment: (text) => seen.push(`comment ${text}`),
      onOverflow: () => seen.push('overflow'),
    });
    return { seen, feed: (chunk: string) => parser.feed(chunk) };
  };
  const CHUNK = 64 * 1024;

  it('is 1 Mi characters', () => {
    expect(SSE_MAX_LENGTH).to.equal(1024 * 1024);
  });

  it('a line that never ends overflows on the chunk that takes it past the limit, and the rest of the stream is ignored', () => {
    const { seen, feed } = bounded();
    feed(': connected\n\ndata: ');
    // With `data: ` (6 characters) in front, 15 chunks stay under the limit and the 16th crosses it.
    const chunksBefore = Math.floor((SSE_MAX_LENGTH - 6) / CHUNK);
    for (let i = 0; i < chunksBefore; i++) feed('x'.repeat(CHUNK));
    expect(seen, 'not before the limit').to.deep.equal(['comment connected']);
    feed('x'.repeat(CHUNK));
    expect(seen, 'at the chunk that crosses it').to.deep.equal(['comment connected', 'overflow']);
    // Nothing more is buffered or reported: not the end of that line, not a valid event after it.
    feed('x'.repeat(CHUNK));
    feed('\n\n:hb\ndata: fine\n\n');
    expect(seen).to.deep.equal(['comment connected', 'overflow']);
  });

  it('accepts an unfinished line of exactly the limit, overflows at one character more', () => {
    const exact = bounded();
    exact.feed(':' + 'x'.repeat(SSE_MAX_LENGTH - 1));
    exact.feed('\n');
    expect(exact.seen).to.deep.equal([`comment ${'x'.repeat(SSE_MAX_LENGTH - 1)}`]);

    const over = bounded();
    over.feed(':' + 'x'.repeat(SSE_MAX_LENGTH - 1));
    over.feed('x');
    expect(over.seen).to.deep.equal(['overflow']);
  });

  it('a complete line over the limit, arriving in one chunk, overflows too', () => {
    const { seen, feed } = bounded();
    feed(`:${'x'.repeat(SSE_MAX_LENGTH)}\ndata: after\n\n`);
    expect(seen).to.deep.equal(['overflow']);
  });

  it("one event's data is bounded as well: many short data lines without a blank line overflow", () => {
    const half = SSE_MAX_LENGTH / 2;
    // Two lines joined by a newline: exactly the limit is an event…
    const exact = bounded();
    exact.feed(`data:${'a'.repeat(half)}\ndata:${'b'.repeat(half - 1)}\n\n`);
    expect(exact.seen.length).to.equal(1);
    expect((exact.seen[0] as [string, string])[1].length).to.equal(SSE_MAX_LENGTH);
    // …one character more is not.
    const over = bounded();
    over.feed(`data:${'a'.repeat(half)}\ndata:${'b'.repeat(half)}\n\n`);
    expect(over.seen).to.deep.equal(['overflow']);

    const { seen, feed } = bounded();
    const line = `data: ${'y'.repeat(1017)}\n`; // 1 KiB
    for (let i = 0; i < 2048 && !seen.length; i++) feed(line);
    expect(seen).to.deep.equal(['overflow']);
    feed('\n');
    expect(seen, 'the blank line does not dispatch what was dropped').to.deep.equal(['overflow']);
  });
});
