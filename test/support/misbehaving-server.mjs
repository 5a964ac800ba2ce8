// A server that misbehaves on purpose, for the elements' failure tests: each
// first path segment picks a behaviour, the rest mimics the API's paths, so an
// element points its base-url at `${url}/<behaviour>/api`. Real HTTP, a real
// socket: what the browser does with it is what a host page would see.
import { createServer } from 'node:http';

const BEHAVIOURS = {
  // Accepts the request and never answers (the socket stays open).
  hang: () => {},
  // 500 with an HTML page, as a proxy in front of an API would send.
  'html-500': (req, res) => {
    res.writeHead(500, { 'content-type': 'text/html' }).end('<!doctype html><h1>Internal Server Error</h1><p>nginx</p>');
  },
  // 200 with a body that is not JSON.
  'malformed-json': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"trainings": [ {"id": ');
  },
  // 200 that starts a JSON body and never finishes it.
  'never-ends': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"trainings": [');
  },
  // An event stream that sends lines that are not SSE, then stays open.
  'garbage-stream': (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(': connected\n\n\u0000\u0001garbage {"not":"sse"}\nevent: completed\ndata: {not json\n\n');
  },
  // 200 with an HTML page where an event stream was expected.
  'html-stream': (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>Login required</p>');
  },
};

/** Starts it on 127.0.0.1; CORS allows `origin` with credentials, as the real API does. */
export function startMisbehavingServer(host, origin) {
  const hits = new Map();
  const server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type' }).end();
      return;
    }
    const behaviour = (req.url ?? '').split('/')[1] ?? '';
    hits.set(behaviour, (hits.get(behaviour) ?? 0) + 1);
    const handle = BEHAVIOURS[behaviour];
    // `json-<status>-<code>`: a JSON error as the API writes them, e.g. json-402-quota_exceeded.
    const jsonError = /^json-(\d{3})-(\w+)$/.exec(behaviour);
    if (handle) handle(req, res);
    else if (jsonError) {
      const [, status, code] = jsonError;
      res.writeHead(Number(status), { 'content-type': 'application/json' }).end(JSON.stringify({ error: `The server refused this (${code}).`, code }));
    }
    else res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"No such behaviour.","code":"not_found"}');
  });
  return new Promise((resolve) => {
    server.listen(0, host, () => {
      resolve({
        url: `http://${host}:${server.address().port}`,
        hits: () => Object.fromEntries(hits),
        close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))),
      });
    });
  });
}
