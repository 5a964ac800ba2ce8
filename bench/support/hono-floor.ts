/**
 * The framework's own floor: Hono on @hono/node-server answering a fixed 304
 * (with our 304's header lines, from BENCH_FLOOR_HEADERS) and no middleware
 * at all. Between it and the bare node:http limit lies the cost of the
 * framework; between it and our server, the cost of our work.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';

const headers = JSON.parse(process.env.BENCH_FLOOR_HEADERS ?? '{}') as Record<string, string>;
const app = new Hono().get('*', () => new Response(null, { status: 304, headers }));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  process.send!({ type: 'ready', url: `http://127.0.0.1:${info.port}` });
});
void server;
