/**
 * Hono's own compress middleware on @hono/node-server, answering a fixed JSON
 * body (BENCH_COMPRESS_BODY, a file) compressed per request, as it works:
 * what the picker answers would cost with it instead of codings made once
 * per data version.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

const body = readFileSync(process.env.BENCH_COMPRESS_BODY!);
const app = new Hono().use(compress()).get('*', (c) => c.body(new Uint8Array(body), 200, { 'Content-Type': 'application/json' }));
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  process.send!({ type: 'ready', url: `http://127.0.0.1:${info.port}` });
});
