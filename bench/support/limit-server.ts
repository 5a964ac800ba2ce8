/**
 * The machine's limit for a response: a bare node:http server that answers
 * each request with the bytes our server sent for the same request, computed
 * once in advance (read from BENCH_RESPONSES, a JSON file of captures keyed
 * `path|mode`, bodies in base64): the same body (compressed where ours was)
 * and the same header lines, so the two differ only in the work done per
 * request. The mode is told from the request as ours tells it: an Origin
 * header, an Accept-Encoding header. A matching If-None-Match gets the 304
 * with our 304's headers.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { modeOf, type Captured } from './captured.js';

const responses = new Map(
  Object.entries(JSON.parse(readFileSync(process.env.BENCH_RESPONSES!, 'utf8')) as Record<string, Captured>).map(([key, r]) => {
    const body = Buffer.from(r.body, 'base64');
    return [key, { ...r, body, headers: { ...r.headers, 'content-length': String(body.length) } }];
  }),
);

const server = createServer((req, res) => {
  const r = responses.get(`${req.url}|${modeOf(req.headers)}`);
  if (!r) {
    res.writeHead(404).end();
    return;
  }
  if (req.headers['if-none-match'] === r.etag) {
    res.writeHead(304, r.notModifiedHeaders).end();
    return;
  }
  res.writeHead(200, r.headers);
  res.end(r.body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
