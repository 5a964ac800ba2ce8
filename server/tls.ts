import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
} from 'node:http2';
import type { ServerConfig } from './config.js';

/** A request listener for both protocols (what @hono/node-server's getRequestListener returns). */
export type NodeListener = (
  request: IncomingMessage | Http2ServerRequest,
  response: ServerResponse | Http2ServerResponse,
) => void | Promise<void>;

/** The listening server with the two ways of closing connections that a graceful shutdown uses. */
export interface NodeServer {
  server: Server | Http2SecureServer;
  /** `https:` with a certificate, else `http:`. */
  protocol: 'http:' | 'https:';
  /** Closes the connections that carry no request (HTTP/2: asks each session to close once its streams end). */
  closeIdleConnections(): void;
  /** Closes every connection now. */
  closeAllConnections(): void;
}

/**
 * Plain HTTP/1.1, or with `tlsCert` and `tlsKey` HTTP/2 over TLS that also
 * speaks HTTP/1.1 (`allowHTTP1`: curl, old clients and the node:http based
 * tests keep working). Over HTTP/2 every stream of a page shares one
 * connection, so a browser's six connections per origin no longer cap how many
 * exports a page can follow at once. @hono/node-server documents HTTP/2 as
 * `serve({ createServer: createSecureServer, serverOptions })`; this is the
 * same server around the listener that the reference server builds itself.
 */
export function createNodeServer(config: Pick<ServerConfig, 'tlsCert' | 'tlsKey'>, listener: NodeListener): NodeServer {
  if (!config.tlsCert || !config.tlsKey) {
    const server = createServer(listener as (request: IncomingMessage, response: ServerResponse) => void);
    return {
      server,
      protocol: 'http:',
      closeIdleConnections: () => server.closeIdleConnections(),
      closeAllConnections: () => server.closeAllConnections(),
    };
  }
  const server = createSecureServer({ allowHTTP1: true, cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }, listener);
  // Node's HTTP/2 server has no list of its connections: keep one, for the shutdown.
  const sessions = new Set<Http2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  // HTTP/1.1 connections over TLS: Node's Http2SecureServer does not track them either.
  const http1 = new Set<import('node:tls').TLSSocket>();
  server.on('secureConnection', (socket) => {
    if (socket.alpnProtocol === 'h2') return;
    http1.add(socket);
    socket.once('close', () => http1.delete(socket));
  });
  return {
    server,
    protocol: 'https:',
    closeIdleConnections: () => sessions.forEach((s) => s.close()),
    closeAllConnections: () => {
      sessions.forEach((s) => s.destroy());
      http1.forEach((s) => s.destroy());
    },
  };
}
