import { expect } from '@open-wc/testing';
import { createParser } from 'eventsource-parser';
import fc from 'fast-check';
import { createSseParser } from '../../components/internal/sse-parser.js';

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
      fc.constantFrom('', ':', ': hb', 'data', 'data:', 'data: x', 'data:  y', 'event: completed', 'event:error', 'retry: 20', 'retry: x', 'foo: bar', 'id: 1'),
      fc.string({ maxLength: 12 }).filter((s) => !/[\r\n\uFEFF\0]/.test(s)),
    );
    const text = fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 30 }).map((lines) => lines.map(([l, end]) => l + end).join(''));
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
