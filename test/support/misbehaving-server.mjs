// A server that misbehaves on purpose, for the elements' failure tests: each
// first path segment picks a behaviour, the rest mimics the API's paths, so an
// element points its base-url at `${url}/<behaviour>/api`. Real HTTP, a real
// socket: what the browser does with it is what a host page would see.
import { readFile } from 'node:fs/promises';
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
  // An event stream that greets (`: connected`) and then sends nothing, not even a heartbeat.
  'connected-only': (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(': connected\n\n');
  },
  // 200 with an HTML page where an event stream was expected.
  'html-stream': (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>Login required</p>');
  },
  // An export that is done, with the download url the test chose, percent-encoded as
  // the next segment (`/completed-url/<url>/api`, so hostile urls come from a real
  // server): the POST answers it as a cache hit, the stream as a `completed` event.
  'completed-url': (req, res) => {
    const url = decodeURIComponent((req.url ?? '').split('/')[2] ?? '');
    const done = { url, costCents: 1234, model: 'test-model' };
    if (req.method === 'POST') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ job: { id: 'job-1', status: 'completed', ...done } }));
    } else {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(`: connected\n\nevent: completed\ndata: ${JSON.stringify(done)}\n\n`);
    }
  },
  // An event stream whose line never ends: 2 MiB without a line break, then it stays open.
  'endless-line': (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(': connected\n\ndata: ');
    for (let i = 0; i < 32; i++) res.write('x'.repeat(64 * 1024));
  },
  // An event stream whose event never ends: 2 MiB of short data lines and no blank line, then it stays open.
  'endless-event': (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(': connected\n\n');
    for (let i = 0; i < 32; i++) res.write(`data: ${'y'.repeat(1017)}\n`.repeat(64));
  },
  // Not a failure: the built dist/*.js files, as a CDN on another origin than the page serves
  // them (`/cdn/pos-widgets.js`, a query ignored), for the script-tag bundle's own chunk...
  cdn: serveDist(() => true),
  // ...and as a host that copied pos-widgets.js alone: its chunks answer 404.
  'cdn-bundle-only': serveDist((name) => name === 'pos-widgets.js'),
};

/** Serves `dist/<name>.js` for the names `allow` lets through (no paths: a name only), else 404. */
function serveDist(allow) {
  return async (req, res) => {
    const name = /^\/[\w-]+\/([\w-]+\.js)(?:\?.*)?$/.exec(req.url ?? '')?.[1];
    const body = name && allow(name) && (await readFile(new URL(`../../dist/${name}`, import.meta.url)).catch(() => undefined));
    if (!body) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
  };
}

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
      res
        .writeHead(Number(status), { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: `The server refused this (${code}).`, code }));
    } else res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"No such behaviour.","code":"not_found"}');
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
