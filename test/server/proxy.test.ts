import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, type ServerConfig } from '../../server/config.js';
import { EMAIL, PASSWORD } from '../fixtures/server-fixture.js';
import { startTestServer } from './support.js';

// One failure per account allowed, so the per-address limit (5× that) is the one hit,
// each failure using an account of its own.
const ADDRESS_LIMIT = 5;

/** The real server on 127.0.0.1: its socket peer is always 127.0.0.1, whatever the headers say. */
async function withServer(trustProxy: ServerConfig['trustProxy'], run: (signIn: SignIn) => Promise<void>) {
  const t = await startTestServer({ signInMaxFailures: ADDRESS_LIMIT / 5, trustProxy });
  let unknown = 0;
  const signIn: SignIn = (headers, password = PASSWORD) =>
    fetch(`${t.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ email: password === PASSWORD ? EMAIL.a : `nobody${unknown++}@nowhere.example`, password }),
    });
  try {
    await run(signIn);
  } finally {
    await t.close(0);
  }
}
type SignIn = (headers: Record<string, string>, password?: string) => Promise<Response>;

async function fail(signIn: SignIn, headers: Record<string, string>) {
  const response = await signIn(headers, 'wrong password');
  assert.equal(response.status, 401, `failed sign-in with ${JSON.stringify(headers)}`);
}

const cookieOf = (response: Response) => {
  assert.equal(response.status, 200);
  return response.headers.get('set-cookie') ?? '';
};

describe('POS_TRUST_PROXY: forwarded headers (over real HTTP)', () => {
  it('off by default: X-Forwarded-For and X-Forwarded-Proto from the client are ignored', () =>
    withServer(false, async (signIn) => {
      assert.doesNotMatch(cookieOf(await signIn({ 'x-forwarded-proto': 'https' })), /;\s*Secure/i, 'a client saying https over http');
      for (let i = 0; i < ADDRESS_LIMIT; i++) await fail(signIn, { 'x-forwarded-for': `198.51.100.${i}` });
      const blocked = await signIn({ 'x-forwarded-for': '198.51.100.200' });
      assert.equal(blocked.status, 429, 'forged addresses all count against the socket address');
      assert.equal(((await blocked.json()) as { code: string }).code, 'too_many_requests');
    }));

  it('1 hop: the rightmost X-Forwarded-For entry is the client, limited on its own; X-Forwarded-Proto is believed', () =>
    withServer(1, async (signIn) => {
      assert.match(cookieOf(await signIn({ 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' })), /;\s*Secure/i);
      assert.doesNotMatch(cookieOf(await signIn({ 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'http' })), /;\s*Secure/i);
      // Whatever the client put left of what the proxy appended is not read.
      for (let i = 0; i < ADDRESS_LIMIT; i++) await fail(signIn, { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.1` });
      assert.equal((await signIn({ 'x-forwarded-for': '203.0.113.1' })).status, 429, 'the client that failed is locked out');
      assert.equal((await signIn({ 'x-forwarded-for': '::ffff:203.0.113.1' })).status, 429, 'also as an IPv4-mapped IPv6 address');
      assert.equal((await signIn({ 'x-forwarded-for': '203.0.113.2' })).status, 200, 'another client behind the same proxy is not');
      assert.equal((await signIn({})).status, 200, 'nor the proxy itself');
    }));

  it('2 hops: the second entry from the right is the client', () =>
    withServer(2, async (signIn) => {
      for (let i = 0; i < ADDRESS_LIMIT; i++) await fail(signIn, { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.1, 10.0.0.${i}` });
      assert.equal((await signIn({ 'x-forwarded-for': '203.0.113.1, 10.0.0.99' })).status, 429);
      assert.equal((await signIn({ 'x-forwarded-for': '203.0.113.2, 10.0.0.1' })).status, 200);
    }));

  it('a list of proxies: walks X-Forwarded-For from the right past trusted addresses and ranges; the first other is the client', () =>
    withServer(['127.0.0.1', '10.0.0.0/8'], async (signIn) => {
      assert.match(cookieOf(await signIn({ 'x-forwarded-proto': 'https' })), /;\s*Secure/i);
      for (let i = 0; i < ADDRESS_LIMIT; i++) {
        await fail(signIn, { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.1, 10.0.${i}.5, ::ffff:10.0.0.6` });
      }
      assert.equal((await signIn({ 'x-forwarded-for': '203.0.113.1' })).status, 429);
      assert.equal((await signIn({ 'x-forwarded-for': '203.0.113.2, 10.0.0.5' })).status, 200);
    }));

  it('a list that does not hold the socket peer (127.0.0.1): the headers are ignored', () =>
    withServer(['10.0.0.0/8', '::1'], async (signIn) => {
      assert.doesNotMatch(cookieOf(await signIn({ 'x-forwarded-proto': 'https' })), /;\s*Secure/i);
      for (let i = 0; i < ADDRESS_LIMIT; i++) await fail(signIn, { 'x-forwarded-for': `198.51.100.${i}` });
      assert.equal((await signIn({ 'x-forwarded-for': '198.51.100.200' })).status, 429);
    }));
});

describe('POS_TRUST_PROXY / --trust-proxy setting', () => {
  it('is off unless set; reads a number of hops or a list; the flag wins', () => {
    assert.equal(loadConfig({}, []).trustProxy, false);
    for (const off of ['', '0', 'false']) assert.equal(loadConfig({ POS_TRUST_PROXY: off }, []).trustProxy, false, off);
    assert.equal(loadConfig({ POS_TRUST_PROXY: '2' }, []).trustProxy, 2);
    assert.deepEqual(
      loadConfig({ POS_TRUST_PROXY: ' 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8, ::ffff:192.0.2.1, loopback,uniquelocal' }, []).trustProxy,
      ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', '::ffff:192.0.2.1', 'loopback', 'uniquelocal'],
    );
    assert.equal(loadConfig({ POS_TRUST_PROXY: '10.0.0.1' }, ['--trust-proxy', '1']).trustProxy, 1);
  });

  it('refuses values it cannot use, naming the setting', () => {
    for (const bad of ['true', 'yes', '-1', '1.5', '10.0.0.300', '10.0.0.0/33', '::1/129', '10.0.0.0/8/1', '10.0.0.1, nope']) {
      assert.throws(
        () => loadConfig({ POS_TRUST_PROXY: bad }, []),
        (e: Error) => e instanceof ConfigError && /^POS_TRUST_PROXY must be a number of proxy hops/.test(e.message),
        bad,
      );
    }
    assert.throws(
      () => loadConfig({}, ['--trust-proxy', 'true']),
      (e: Error) =>
        e instanceof ConfigError &&
        /^--trust-proxy must be .*got "true" \(which would let any client choose its own address\)$/.test(e.message),
    );
  });
});
