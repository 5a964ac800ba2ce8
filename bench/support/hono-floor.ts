/**
 * The framework's own floor: Hono on @hono/node-server answering a fixed 304
 * with no middleware at all. Between it and the bare node:http limit lies the
 * cost of the framework; between it and our server, the cost of our work.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';

const app = new Hono().get('*', (c) => c.body(null, 304, { ETag: '"floor"', 'Cache-Control': 'private, no-cache' }));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  process.send!({ type: 'ready', url: `http://127.0.0.1:${info.port}` });
});
void server;
