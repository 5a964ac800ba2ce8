// A self-signed certificate and key for running the reference server over
// HTTP/2 (TLS) on this machine: `npm run dev-cert` writes data/dev-cert.pem and
// data/dev-key.pem (or the two paths given), valid for localhost, 127.0.0.1 and
// ::1 for 30 days. Then `POS_TLS_CERT=data/dev-cert.pem POS_TLS_KEY=data/dev-key.pem npm run serve`.
// Browsers warn about it (it is signed by nobody they trust): for local use only.
//
// With `openssl` on the PATH it makes the pair; without it, the same pair is
// written here (a P-256 key from node:crypto, the certificate's DER by hand):
// no dependency, and the tests that need a pair run on any machine.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DAYS = 30;
const NAMES = { dns: ['localhost'], ip: ['127.0.0.1', '::1'] };

/** `{ cert, key }` as PEM text; `openssl: false` skips the openssl attempt. */
export function makeDevCert({ openssl = true } = {}) {
  if (openssl) {
    try {
      return withOpenssl();
    } catch (error) {
      if (error?.code !== 'ENOENT') throw error;
    }
  }
  return withNodeCrypto();
}

function withOpenssl() {
  const dir = mkdtempSync(join(tmpdir(), 'pos-dev-cert-'));
  try {
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    const san = [...NAMES.dns.map((n) => `DNS:${n}`), ...NAMES.ip.map((n) => `IP:${n}`)].join(',');
    // prettier-ignore
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', String(DAYS),
      '-subj', '/CN=localhost', '-addext', `subjectAltName=${san}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
    return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// DER: a tag, the length (short or long form), the content.
const der = (tag, ...parts) => {
  const body = Buffer.concat(parts);
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
};
const seq = (...parts) => der(0x30, ...parts);
const oid = (hex) => der(0x06, Buffer.from(hex, 'hex'));
const utcTime = (date) => der(0x17, Buffer.from(date.toISOString().replace(/^..|[-:T]|\.\d+/g, '')));
// Only the two addresses of NAMES: 127.0.0.1 and ::1.
const ipBytes = (ip) => (ip === '::1' ? Buffer.from([...Array(15).fill(0), 1]) : Buffer.from(ip.split('.').map(Number)));

function withNodeCrypto() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ecdsaWithSha256 = seq(oid('2a8648ce3d040302'));
  const name = seq(der(0x31, seq(oid('550403'), der(0x0c, Buffer.from('localhost')))));
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // a positive INTEGER
  const now = Date.now();
  const altNames = seq(...NAMES.dns.map((n) => der(0x82, Buffer.from(n))), ...NAMES.ip.map((n) => der(0x87, ipBytes(n))));
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))), // v3
    der(0x02, serial),
    ecdsaWithSha256,
    name,
    seq(utcTime(new Date(now - 60_000)), utcTime(new Date(now + DAYS * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    der(0xa3, seq(seq(oid('551d11'), der(0x04, altNames)))), // subjectAltName
  );
  const signature = sign('sha256', tbs, privateKey);
  const cert = seq(tbs, ecdsaWithSha256, der(0x03, Buffer.from([0]), signature));
  const pem = (label, bytes) =>
    `-----BEGIN ${label}-----\n${bytes
      .toString('base64')
      .match(/.{1,64}/g)
      .join('\n')}\n-----END ${label}-----\n`;
  return { cert: pem('CERTIFICATE', cert), key: privateKey.export({ type: 'pkcs8', format: 'pem' }) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [certPath = 'data/dev-cert.pem', keyPath = 'data/dev-key.pem'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const { cert, key } = makeDevCert({ openssl: !process.argv.includes('--no-openssl') });
  for (const [path, text, mode] of [
    [certPath, cert, 0o644],
    [keyPath, key, 0o600],
  ]) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { mode });
  }
  console.log(`wrote ${certPath} and ${keyPath} (self-signed for ${[...NAMES.dns, ...NAMES.ip].join(', ')}, ${DAYS} days)`);
  console.log(`serve over HTTP/2: POS_TLS_CERT=${certPath} POS_TLS_KEY=${keyPath} npm run serve`);
}
