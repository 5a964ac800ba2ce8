/**
 * The machine's floor for the stream fan-out: a bare node:http server that
 * holds event-stream responses open (`: connected` first, like ours) and, on
 * the IPC message `{ type: 'fire' }`, ends every one of them with the same
 * pre-encoded `completed` event in one loop, then answers `{ type: 'fired', at }`
 * with the time the loop started. No database, no framework, no timers: what
 * is left is Node's response and the kernel's socket write, per stream.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const event = Buffer.from(
  'event: completed\ndata: {"url":"/api/exports/pptx/files/00000000-0000-4000-8000-000000000000.pptx","costCents":3,"model":"pptxgenjs"}\n\n',
);
const open = new Set<ServerResponse>();

const server = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  res.write(': connected\n\n');
  open.add(res);
  res.once('close', () => open.delete(res));
});
server.keepAliveTimeout = 60_000;
process.on('message', (message: { type: string }) => {
  if (message.type !== 'fire') return;
  const at = Date.now();
  for (const res of open) res.end(event);
  process.send!({ type: 'fired', at, loopMs: Date.now() - at });
});
server.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
