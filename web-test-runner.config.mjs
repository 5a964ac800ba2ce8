// Browser tests: the elements in real Chromium against the real reference
// server, which runs as a child process on another port (a cross-origin API,
// as in most embeddings; same site, so the SameSite=Lax session cookie travels).
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from './scripts/chromium-path.mjs';
import { freePort } from './test/support/free-port.mjs';
import { startMisbehavingServer } from './test/support/misbehaving-server.mjs';
import { distributionBundles } from './test/distribution/bundles.mjs';

const HOST = '127.0.0.1';
const pagePort = await freePort();
const apiPort = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'pos-wtr-'));

/** The reference server child process; tests stop and restart it through commands. */
const api = {
  child: undefined,
  url: `http://${HOST}:${apiPort}`,
  start() {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/test-api-server.ts'], {
        env: {
          ...process.env,
          PORT: String(apiPort),
          HOST,
          POS_DB: join(dataDir, 'browser-tests.sqlite'),
          POS_CORS_ORIGINS: `http://${HOST}:${pagePort}`,
          POS_SSE_POLL_MS: '200',
          POS_SSE_HEARTBEAT_MS: '300',
          POS_SSE_TIMEOUT_MS: '3000',
          // Tests dispatch exports that hang on purpose; each holds a generation slot
          // until its deadline (10 min), so the default 2 would stall the exports after them.
          POS_EXPORT_CONCURRENCY: '8',
          // An allowance no test reaches by exporting; the export element's 402 test uses
          // it up for one organisation through the demo controls (and restores it).
          POS_EXPORT_QUOTA_CENTS: '1000000000',
          POS_DEMO_CONTROLS: '1',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      this.child = child;
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        if (out.includes('listening on ')) resolve(true);
      });
      child.once('exit', (code) => reject(new Error(`test API server exited (${code}) before listening:\n${out}`)));
    });
  },
  /** SIGKILL (a crash) by default; SIGTERM is a graceful shutdown (streams told `server_restarting`). */
  stop(signal = 'SIGKILL') {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return Promise.resolve(true);
    return new Promise((resolve) => {
      child.once('exit', () => resolve(true));
      child.kill(signal);
    });
  },
};

await api.start();
/** One CDP session per test page for media emulation. */
const mediaSessions = {};
const misbehaving = await startMisbehavingServer(HOST, `http://${HOST}:${pagePort}`);
const cleanup = () => {
  void misbehaving.close();
  api.child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
};
process.once('exit', cleanup);

export default {
  files: ['test/components/**/*.test.ts', 'test/distribution/**/*.test.ts'],
  hostname: HOST,
  port: pagePort,
  nodeResolve: true,
  concurrency: 1,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 15000 } },
  browsers: [chromeLauncher({ launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS } })],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    distributionBundles(),
    {
      name: 'pos-ax-tree',
      // `executeServerCommand('ax-tree')`: the page's accessibility tree from CDP (Accessibility.getFullAXTree),
      // as { role, name, description, expanded } per node, to read names and descriptions as a screen reader gets them.
      async executeCommand({ command, session }) {
        if (command !== 'ax-tree') return undefined;
        const cdp = await session.browser.getPage(session.id).createCDPSession();
        try {
          const { nodes } = await cdp.send('Accessibility.getFullAXTree');
          return nodes
            .filter((n) => !n.ignored)
            .map((n) => ({
              role: n.role?.value,
              name: n.name?.value ?? '',
              description: n.description?.value ?? '',
              expanded: n.properties?.find((p) => p.name === 'expanded')?.value.value,
            }));
        } finally {
          await cdp.detach();
        }
      },
    },
    {
      name: 'pos-test-api',
      // `executeServerCommand('api-stop' | 'api-start' | 'api-health')` from a test.
      async executeCommand({ command }) {
        if (command === 'api-stop') return api.stop();
        if (command === 'api-stop-graceful') return api.stop('SIGTERM');
        if (command === 'misbehaving-hits') return misbehaving.hits();
        if (command === 'api-start') return api.start();
        if (command === 'api-health') return (await fetch(`${api.url}/healthz`)).json();
        return undefined;
      },
    },
    {
      name: 'pos-media-features',
      // `executeServerCommand('media-features', { 'forced-colors': 'active', 'prefers-color-scheme': 'dark' })`:
      // every emulated media feature at once (puppeteer's emulateMedia knows no forced-colors); `{}` resets them.
      async executeCommand({ command, payload, session }) {
        if (command !== 'media-features') return undefined;
        const page = session.browser.getPage(session.id);
        const cdp = (mediaSessions[session.id] ??= await page.createCDPSession());
        const features = Object.entries(payload ?? {}).map(([name, value]) => ({ name, value }));
        await cdp.send('Emulation.setEmulatedMedia', { media: '', features });
        return true;
      },
    },
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pos tests</title></head><body>
<script>window.__POS_API__ = ${JSON.stringify(`${api.url}/api`)}; window.__POS_MISBEHAVING__ = ${JSON.stringify(misbehaving.url)};</script>
<script type="module" src="${testFramework}"></script>
</body></html>`,
};
