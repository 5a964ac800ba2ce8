import { expect } from '@open-wc/testing';
import { SseParser, type SseEvent } from '../../../components/internal/export-stream-parser.js';

/** Feeds `chunks` and returns what the parser reported, in order. */
function parse(...chunks: string[]) {
  const out: (SseEvent | { comment: string } | { retry: number })[] = [];
  const parser = new SseParser({
    onEvent: (e) => out.push(e),
    onComment: (comment) => out.push({ comment }),
    onRetry: (retry) => out.push({ retry }),
  });
  for (const chunk of chunks) parser.push(chunk);
  return out;
}

describe('SseParser', () => {
  it('parses the reference server stream: comments, heartbeats and a named event', () => {
    expect(parse(': connected\n\n', ':hb\n\n', 'event: completed\ndata: {"url":"/x"}\n\n')).to.deep.equal([
      { comment: 'connected' },
      { comment: 'hb' },
      { type: 'completed', data: '{"url":"/x"}', lastEventId: '' },
    ]);
  });

  it('handles a line, a field and a CRLF split across chunks', () => {
    expect(parse('eve', 'nt: err', 'or\r', '\ndata: {"message":', '"no"}\r', '\n\r', '\n')).to.deep.equal([
      { type: 'error', data: '{"message":"no"}', lastEventId: '' },
    ]);
  });

  it('accepts CR and LF line endings and joins data lines with \\n', () => {
    expect(parse('data: a\rdata:b\ndata\n\n')).to.deep.equal([{ type: 'message', data: 'a\nb\n', lastEventId: '' }]);
  });

  it('does not dispatch an event without data, nor an unterminated one', () => {
    expect(parse('event: completed\n\n', 'data: half')).to.deep.equal([]);
  });

  it('ignores a leading BOM, unknown fields and an invalid retry; keeps the last id', () => {
    expect(parse('\uFEFFid: 7\nfoo: bar\nretry: soon\nretry: 250\ndata: x\n\n')).to.deep.equal([
      { retry: 250 },
      { type: 'message', data: 'x', lastEventId: '7' },
    ]);
  });
});
