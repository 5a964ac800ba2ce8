/**
 * The reference server over TLS (POS_TLS_CERT / POS_TLS_KEY): HTTP/2 for
 * clients that offer it, HTTP/1.1 for the others, JSON answers and the export
 * stream over both. With node:http2's own client, so the protocol is really h2.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type ClientHttp2Session } from 'node:http2';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../server/config.js';
import { makeDevCert } from '../../scripts/make-dev-cert.mjs';
import { EMAIL, ID, PASSWORD } from '../fixtures/server-fixture.js';
import { startTestServer } from './support.js';

/** One request on an HTTP/2 session: status, headers and the body as text (read until `until` matches, then closed). */
function h2Request(
  session: ClientHttp2Session,
  headers: Record<string, string>,
  body?: string,
  until?: (text: string) => boolean,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers, { endStream: body === undefined });
    let text = '';
    let head: Record<string, unknown> = {};
    stream.setEncoding('utf8');
    stream.on('response', (h) => (head = h));
    stream.on('data', (chunk: string) => {
      text += chunk;
      if (until?.(text)) {
        stream.close();
        resolve({ status: Number(head[':status']), headers: head, text });
      }
    });
    stream.on('end', () => resolve({ status: Number(head[':status']), headers: head, text }));
    stream.on('error', reject);
    if (body !== undefined) stream.end(body);
  });
}

describe('the reference server over TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pos-tls-'));
  const tls = makeDevCert();
  const tlsCert = join(dir, 'cert.pem');
  const tlsKey = join(dir, 'key.pem');
  writeFileSync(tlsCert, tls.cert);
  writeFileSync(tlsKey, tls.key);
  let s: Awaited<ReturnType<typeof startTestServer>>;
  let session: ClientHttp2Session;
  let cookie: string;

  before(async () => {
    s = await startTestServer({ tlsCert, tlsKey });
    session = connect(s.url, { ca: tls.cert });
    const signIn = await h2Request(
      session,
      { ':method': 'POST', ':path': '/api/auth/sign-in/email', 'content-type': 'application/json' },
      JSON.stringify({ email: EMAIL.a, password: PASSWORD }),
    );
    assert.equal(signIn.status, 200, signIn.text);
    const setCookie = String(signIn.headers['set-cookie']);
    assert.match(setCookie, /; Secure/i, 'over TLS the session cookie is Secure');
    cookie = /session_token=[^;]*/.exec(setCookie)![0];
  });
  after(async () => {
    session?.close();
    await s?.close(100);
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on https: and negotiates h2 with a client that offers it', async () => {
    assert.match(s.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    await new Promise((resolve) => (session.socket ? resolve(true) : session.once('connect', resolve)));
    assert.equal(session.alpnProtocol, 'h2');
  });

  it('answers JSON over h2', async () => {
    const { status, headers, text } = await h2Request(session, { ':path': '/api/workflow-pickers/training-tags', cookie });
    assert.equal(status, 200, text);
    assert.match(String(headers['content-type']), /^application\/json/);
    assert.ok(Array.isArray(JSON.parse(text).tags), text);
  });

  it('streams an export over h2: connected, then the completed event, then the end', async () => {
    const { status, headers, text } = await h2Request(session, {
      ':path': `/api/exports/pptx/stream?lessonId=${ID.lessonDone}`,
      cookie,
      accept: 'text/event-stream',
    });
    assert.equal(status, 200, text);
    assert.equal(headers['content-type'], 'text/event-stream');
    assert.match(text, /^: connected\n\n/);
    assert.match(text, new RegExp(`event: completed\ndata: \\{"url":"/api/exports/pptx/files/${ID.jobDone}\\.pptx"`));
  });

  it('sends heartbeats over h2 while an export runs, and frees the stream when the client leaves', async () => {
    const { text } = await h2Request(
      session,
      { ':path': `/api/exports/pptx/stream?lessonId=${ID.lessonA}&cacheKey=h2-wait`, cookie },
      undefined,
      (t) => t.includes(':hb'),
    );
    assert.match(text, /^: connected\n\n(:hb\n\n)+$/);
    const deadline = Date.now() + 3000;
    while (s.streams.open !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(s.streams.open, 0, 'the stream closed by the client is released');
  });

  it('delivers the outcome over h2 to a stream that was waiting when the export completed', async () => {
    const waiting = h2Request(session, { ':path': `/api/exports/pptx/stream?lessonId=${ID.lessonA}&cacheKey=h2-later`, cookie });
    const deadline = Date.now() + 3000;
    while (s.streams.open === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const dispatched = await h2Request(
      session,
      { ':method': 'POST', ':path': '/api/exports/pptx', 'content-type': 'application/json', cookie },
      JSON.stringify({ lessonId: ID.lessonA, cacheKey: 'h2-later' }),
    );
    const { job } = JSON.parse(dispatched.text) as { job: { id: string } };
    const { text } = await waiting;
    assert.match(text, new RegExp(`event: completed\ndata: \\{"url":"/api/exports/pptx/files/${job.id}\\.pptx"`));
  });

  it('still speaks HTTP/1.1 over TLS (allowHTTP1) to a client without h2', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpsRequest(`${s.url}/healthz`, { ca: tls.cert, ALPNProtocols: ['http/1.1'] } as RequestOptions, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 200);
    assert.equal(JSON.parse(body).ok, true);
  });

  it('reads POS_TLS_CERT / POS_TLS_KEY and --tls-cert / --tls-key, and refuses one without the other', () => {
    assert.deepEqual(
      [
        loadConfig({ POS_TLS_CERT: 'c.pem', POS_TLS_KEY: 'k.pem' }, []).tlsCert,
        loadConfig({}, ['--tls-cert', 'a', '--tls-key', 'b']).tlsKey,
      ],
      ['c.pem', 'b'],
    );
    assert.throws(() => loadConfig({ POS_TLS_CERT: 'c.pem' }, []), ConfigError);
  });
});

describe('make-dev-cert without openssl', () => {
  it('makes a pair Node accepts for 127.0.0.1 over h2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-tls-'));
    const pair = makeDevCert({ openssl: false });
    writeFileSync(join(dir, 'c.pem'), pair.cert);
    writeFileSync(join(dir, 'k.pem'), pair.key);
    const s = await startTestServer({ tlsCert: join(dir, 'c.pem'), tlsKey: join(dir, 'k.pem') });
    const session = connect(s.url, { ca: pair.cert });
    try {
      const { status, text } = await h2Request(session, { ':path': '/healthz' });
      assert.equal(status, 200, text);
    } finally {
      session.close();
      await s.close(100);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
