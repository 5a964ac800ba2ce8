/**
 * The machine's limit for a response: a bare node:http server that answers
 * each path with bytes computed once in advance (read from BENCH_RESPONSES, a
 * JSON file of { path: { etag, body } }), and 304 to a matching If-None-Match.
 * Whatever our server does per request beyond this is the cost we measure.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const responses = new Map(
  Object.entries(JSON.parse(readFileSync(process.env.BENCH_RESPONSES!, 'utf8')) as Record<string, { etag: string; body: string }>).map(
    ([path, r]) => [path, { etag: r.etag, body: Buffer.from(r.body) }],
  ),
);

const server = createServer((req, res) => {
  const r = responses.get(req.url ?? '');
  if (!r) {
    res.writeHead(404).end();
    return;
  }
  if (req.headers['if-none-match'] === r.etag) {
    res.writeHead(304, { etag: r.etag, 'cache-control': 'private, no-cache' }).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': r.body.length, etag: r.etag, 'cache-control': 'private, no-cache' });
  res.end(r.body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
