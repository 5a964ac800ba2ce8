// Browser tests over HTTP/2: the test page and the reference server (POS_TLS_CERT /
// POS_TLS_KEY, a self-signed pair from scripts/make-dev-cert.mjs) both on https:,
// so the session cookie is same-site as in web-test-runner.config.mjs (an http:
// page and an https: API are different sites to Chromium). Only the files named
// *.h2-test.ts; `npm run test:browser` runs both configs.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from './scripts/chromium-path.mjs';
import { freePort } from './test/support/free-port.mjs';
import { makeDevCert } from './scripts/make-dev-cert.mjs';

const HOST = '127.0.0.1';
const pagePort = await freePort();
const apiPort = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'pos-wtr-h2-'));
const tls = makeDevCert();
const sslCert = join(dataDir, 'cert.pem');
const sslKey = join(dataDir, 'key.pem');
writeFileSync(sslCert, tls.cert);
writeFileSync(sslKey, tls.key);
const apiUrl = `https://${HOST}:${apiPort}`;

const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/test-api-server.ts'], {
  env: {
    ...process.env,
    PORT: String(apiPort),
    HOST,
    POS_DB: join(dataDir, 'browser-tests.sqlite'),
    POS_CORS_ORIGINS: `https://${HOST}:${pagePort}`,
    POS_TLS_CERT: sslCert,
    POS_TLS_KEY: sslKey,
    POS_SSE_POLL_MS: '200',
    POS_SSE_HEARTBEAT_MS: '300',
    POS_SSE_TIMEOUT_MS: '20000',
    POS_EXPORT_CONCURRENCY: '8',
    POS_DEMO_CONTROLS: '1',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk).includes('listening on ') && resolve(true));
  child.once('exit', (code) => reject(new Error(`test API server exited (${code}) before listening:\n${out}`)));
});
process.once('exit', () => {
  child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** GET over https, trusting the test pair (Node's fetch takes no CA). */
const getJson = (url) =>
  new Promise((resolve, reject) => {
    get(url, { ca: tls.cert }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });

export default {
  files: ['test/components/**/*.h2-test.ts'],
  hostname: HOST,
  port: pagePort,
  protocol: 'https:',
  http2: true,
  sslCert,
  sslKey,
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 15000 } },
  browsers: [
    chromeLauncher({ launchOptions: { executablePath: chromiumPath(), args: [...CHROMIUM_ARGS, '--ignore-certificate-errors'] } }),
  ],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    {
      name: 'pos-test-api',
      async executeCommand({ command }) {
        if (command === 'api-health') return getJson(`${apiUrl}/healthz`);
        return undefined;
      },
    },
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pos tests (HTTP/2)</title></head><body>
<script>window.__POS_API__ = ${JSON.stringify(`${apiUrl}/api`)};</script>
<script type="module" src="${testFramework}"></script>
</body></html>`,
};
