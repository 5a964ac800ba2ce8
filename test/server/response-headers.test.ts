import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { EMAIL, ID } from '../fixtures/server-fixture.js';
import { openStream, startTestServer } from './support.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const ORIGIN = 'http://builder.example';
const TRAININGS = '/api/workflow-pickers/trainings';
const TAGS = '/api/workflow-pickers/training-tags';

/** One request over node:http, which leaves the body as it came (fetch would decode it). */
function raw(url: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The first bytes of a response whose body does not end (the stream), then the connection closed. */
function head(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, string>; first: string }>((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.once('data', (chunk: Buffer) => {
        resolve({ status: res.statusCode!, headers: res.headers as Record<string, string>, first: chunk.toString() });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('headers of every kind of response, decided in one place (server/security-headers.ts)', () => {
  let s: Server;
  let cookie: string;

  before(async () => {
    assert.ok(existsSync('dist/pos-widgets.js'), 'dist/ is missing: run `npm run build` first');
    s = await startTestServer({ corsOrigins: [ORIGIN] }, { serveDemo: true });
    cookie = await s.signIn(EMAIL.a);
    // A trainings list well over 1 KB, so that it is compressed.
    for (let i = 0; i < 60; i++) {
      await s.sql(
        `INSERT INTO trainings (id, organization_id, title, description, tags, is_published, created_at, updated_at)
         VALUES (?, ?, ?, ?, '["bulk"]', TRUE, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
        `b0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        ID.orgA,
        `Bulk training ${i}`,
        `About bulk topic ${i}.`,
      );
    }
  });
  after(() => s.close(0));

  const securityOf = (headers: Record<string, string>, expected: Readonly<Record<string, string>>) =>
    Object.fromEntries(Object.keys(expected).map((name) => [name, headers[name]]));

  it('every kind of response carries the policy’s security headers; the demo page its own', async () => {
    const kinds: [string, string, Record<string, string>][] = [
      ['JSON answer', TRAININGS, { cookie }],
      ['another JSON answer', '/api/enablement/lessons', { cookie }],
      ['error', TRAININGS, {}],
      ['304', TRAININGS, { cookie, 'if-none-match': (await raw(`${s.url}${TRAININGS}`, { cookie })).headers.etag! }],
      ['bundle', '/dist/pos-widgets.js', {}],
      ['demo script', '/demo.js', {}],
      ['health', '/healthz', {}],
    ];
    for (const [what, path, headers] of kinds) {
      const response = await raw(`${s.url}${path}`, headers);
      assert.deepEqual(securityOf(response.headers, s.policy.security), s.policy.security, what);
      assert.equal(response.headers['cross-origin-resource-policy'], 'cross-origin', what);
    }
    const stream = await head(`${s.url}/api/exports/pptx/stream?lessonId=${ID.lessonA}`, { cookie });
    assert.equal(stream.status, 200);
    assert.deepEqual(securityOf(stream.headers, s.policy.security), s.policy.security, 'stream');

    const page = await raw(`${s.url}/`);
    assert.deepEqual(securityOf(page.headers, s.policy.pageSecurity), s.policy.pageSecurity, 'demo page');
    assert.equal(page.headers['cross-origin-resource-policy'], 'same-origin');
    assert.match(page.headers['content-security-policy']!, /default-src 'self'/);
  });

  it('a listed Origin gets its CORS headers on every kind of API response, the stream included; an unlisted one none', async () => {
    const etag = (await raw(`${s.url}${TRAININGS}`, { cookie })).headers.etag!;
    for (const origin of [ORIGIN, 'http://elsewhere.example']) {
      const listed = origin === ORIGIN;
      const responses = {
        answer: await raw(`${s.url}${TRAININGS}`, { cookie, origin }),
        '304': await raw(`${s.url}${TRAININGS}`, { cookie, origin, 'if-none-match': etag }),
        error: await raw(`${s.url}${TRAININGS}`, { origin }),
        lessons: await raw(`${s.url}/api/enablement/lessons`, { cookie, origin }),
        stream: await head(`${s.url}/api/exports/pptx/stream?lessonId=${ID.lessonA}`, { cookie, origin }),
      };
      for (const [what, response] of Object.entries(responses)) {
        assert.equal(response.headers['access-control-allow-origin'], listed ? ORIGIN : undefined, `${what} for ${origin}`);
        assert.equal(response.headers['access-control-allow-credentials'], listed ? 'true' : undefined, what);
        assert.match(response.headers.vary ?? '', /\bOrigin\b/, `${what}: Vary: Origin`);
      }
    }
    const preflight = await raw(`${s.url}${TRAININGS}`, { origin: ORIGIN, 'access-control-request-method': 'GET' }, 'OPTIONS');
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], ORIGIN);
    assert.equal(preflight.headers['access-control-max-age'], '600');
  });

  it('picker answers in br, gzip or identity as accepted, the same JSON each time; small answers and 304s uncompressed', async () => {
    const identity = await raw(`${s.url}${TRAININGS}`, { cookie });
    assert.equal(identity.headers['content-encoding'], undefined);
    assert.ok(identity.body.length > 1024, `${identity.body.length} bytes`);
    assert.match(identity.headers.vary!, /Accept-Encoding/);
    for (const [accept, encoding, decode] of [
      ['br, gzip', 'br', brotliDecompressSync],
      ['gzip, deflate', 'gzip', gunzipSync],
      ['gzip;q=0.5, br;q=0', 'gzip', gunzipSync],
      ['*', 'br', brotliDecompressSync],
      ['identity', undefined, (b: Buffer) => b],
      ['br;q=0, gzip;q=0', undefined, (b: Buffer) => b],
    ] as const) {
      for (let i = 0; i < 2; i++) {
        const response = await raw(`${s.url}${TRAININGS}`, { cookie, 'accept-encoding': accept });
        assert.equal(response.headers['content-encoding'], encoding, `${accept} (${i ? 'cached' : 'first'})`);
        assert.deepEqual(decode(response.body), identity.body, accept);
        assert.match(response.headers.vary!, /Accept-Encoding/);
        if (encoding) assert.ok(response.body.length < identity.body.length / 3, `${accept}: ${response.body.length} bytes`);
        const notModified = await raw(`${s.url}${TRAININGS}`, {
          cookie,
          'accept-encoding': accept,
          'if-none-match': response.headers.etag!,
        });
        assert.equal(notModified.status, 304, `${accept}: its own ETag`);
        assert.equal(notModified.headers['content-encoding'], undefined);
        assert.equal(notModified.body.length, 0);
      }
    }
    const br = await raw(`${s.url}${TRAININGS}`, { cookie, 'accept-encoding': 'br' });
    assert.notEqual(br.headers.etag, identity.headers.etag, 'each coding its own strong ETag');
    assert.equal((await raw(`${s.url}${TRAININGS}`, { cookie, 'if-none-match': br.headers.etag! })).status, 304, 'either matches');

    const small = await raw(`${s.url}${TAGS}`, { cookie, 'accept-encoding': 'br, gzip' });
    assert.ok(small.body.length < 1024);
    assert.equal(small.headers['content-encoding'], undefined, 'under 1 KB: not compressed');
    assert.equal(small.headers.vary, 'Origin');
  });

  it('the stream is never compressed', async () => {
    const stream = await head(`${s.url}/api/exports/pptx/stream?lessonId=${ID.lessonA}`, { cookie, 'accept-encoding': 'br, gzip' });
    assert.equal(stream.headers['content-type'], 'text/event-stream');
    assert.equal(stream.headers['content-encoding'], undefined);
    assert.match(stream.first, /^: connected/);
    const reader = await openStream(`${s.url}/api/exports/pptx/stream?lessonId=${ID.lessonA}`, cookie);
    await reader.waitFor(': connected');
    reader.close();
  });

  it('the bundle: compressed as accepted, an ETag that gives 304, no-cache, any origin may load it', async () => {
    const file = readFileSync('dist/pos-widgets.js');
    const plain = await raw(`${s.url}/dist/pos-widgets.js`);
    assert.equal(plain.status, 200);
    assert.deepEqual(plain.body, file);
    assert.equal(plain.headers['cache-control'], 'no-cache');
    assert.equal(plain.headers['access-control-allow-origin'], '*');
    assert.equal(plain.headers.vary, 'Accept-Encoding');
    const br = await raw(`${s.url}/dist/pos-widgets.js`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.deepEqual(brotliDecompressSync(br.body), file);
    assert.ok(br.body.length < 25_000, `${br.body.length} bytes of brotli`);
    const gzip = await raw(`${s.url}/dist/pos-widgets.js`, { 'accept-encoding': 'gzip' });
    assert.deepEqual(gunzipSync(gzip.body), file);
    for (const etag of [plain.headers.etag!, br.headers.etag!]) {
      const notModified = await raw(`${s.url}/dist/pos-widgets.js`, { 'accept-encoding': 'br', 'if-none-match': etag });
      assert.equal(notModified.status, 304);
      assert.equal(notModified.body.length, 0);
      assert.equal(notModified.headers['cache-control'], 'no-cache');
    }
    const element = await raw(`${s.url}/dist/elements/pptx-export-progress.js`);
    assert.equal(element.headers['cache-control'], 'no-cache', 'an element module: a stable name, revalidated');
    assert.ok(element.headers.etag);
  });

  it('content-hashed chunks are immutable for a year', async () => {
    const chunks = readFileSync('dist/elements/training-picker.js', 'utf8').match(/chunks\/[\w-]+-[\w-]{8}\.js/g) ?? [];
    assert.ok(chunks.length > 0, 'the element imports a hashed chunk');
    for (const chunk of chunks) {
      const response = await raw(`${s.url}/dist/${chunk}`);
      assert.equal(response.status, 200, chunk);
      assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable', chunk);
    }
  });

  it('the demo files are compressed and validated too, and nothing outside the served folders is reachable', async () => {
    const page = await raw(`${s.url}/`, { 'accept-encoding': 'br' });
    assert.equal(page.headers['content-encoding'], 'br');
    assert.match(brotliDecompressSync(page.body).toString(), /<pos-/);
    assert.equal((await raw(`${s.url}/`, { 'if-none-match': page.headers.etag! })).status, 304);
    for (const path of ['/../package.json', '/dist/../package.json', '/%2e%2e/package.json', '/dist/..%2fpackage.json']) {
      assert.equal((await raw(`${s.url}${path}`)).status, 404, path);
    }
  });
});
