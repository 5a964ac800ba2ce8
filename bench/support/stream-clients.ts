/** Export streams over bare sockets, for bench:sse and bench:cluster. */
import { connect, type Socket } from 'node:net';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Client {
  socket: Socket;
  connected: boolean;
  completedAt?: number;
}
/**
 * Opens `count` streams over bare sockets: the request written by hand, the
 * answer scanned for the two markers and nothing parsed. The client shares the
 * machine's 2 cores with the server, so it must cost far less per stream than
 * the server does, or the figures measure the client (with node:http's client
 * and its parser per stream, p50 was 228 ms against a 150 ms server fan-out).
 */
export async function openStreams(url: string, path: string, headers: string, count: number): Promise<Client[]> {
  const { hostname, port } = new URL(url);
  const request = `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n${headers}Accept: text/event-stream\r\n\r\n`;
  const clients: Client[] = [];
  const open = () =>
    new Promise<void>((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port) });
      const client: Client = { socket, connected: false };
      let tail = ''; // a marker may straddle two reads
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        const text = tail + chunk;
        if (!client.connected && text.includes(': connected')) {
          client.connected = true;
          resolve();
        }
        if (client.completedAt === undefined && text.includes('event: completed')) client.completedAt = Date.now();
        tail = text.slice(-20);
      });
      socket.on('error', (error) => (client.connected ? undefined : reject(error)));
      socket.write(request);
      clients.push(client);
    });
  for (let i = 0; i < count; i += 250) await Promise.all(Array.from({ length: Math.min(250, count - i) }, open));
  return clients;
}

/** Waits (up to 30 s) until every client has the event; returns the delays from `since()` and how many never got it. */
export async function arrivals(clients: Client[], since: () => Promise<number>) {
  const deadline = Date.now() + 30_000;
  while (clients.some((c) => !c.completedAt) && Date.now() < deadline) await sleep(20);
  const start = await since();
  const delays = clients.filter((c) => c.completedAt).map((c) => c.completedAt! - start);
  return { delays, missing: clients.length - delays.length };
}
