/**
 * bench:network — the kit as a host page's users meet it: the page on one
 * origin, the bundle and the API on another (the reference server, with the
 * page's origin in POS_CORS_ORIGINS), in headless Chromium over a slow link
 * emulated by CDP (Network.emulateNetworkConditions: 1.6 Mbit/s down =
 * 200,000 B/s, 750 kbit/s up, 150 ms latency), the browser cache disabled
 * unless a row says otherwise.
 *
 * Measured, median of 5 (1 with --smoke): the script-tag bundle's load (page
 * navigation → the elements defined), and a <pos-training-picker> for 2,000
 * trainings added to the page (→ its 2,000 options ready to open). For
 * context: the picker revalidated from the browser's cache (a 304), and the
 * picker with compression refused (`Accept-Encoding: identity`).
 * Targets: picker options ready ≤ 1 s; the bundle loaded ≤ 1 s.
 */
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium-path.mjs';
import { BENCH_PASSWORD, BENCH_USER } from './support/fixtures.js';
import { forkServer } from './support/processes.js';
import { machine, median, publish, SMOKE, table, type Row } from './support/report.js';

if (!existsSync('dist/pos-widgets.js')) {
  console.error('dist/pos-widgets.js is missing: run `npm run build` first.');
  process.exit(1);
}
const RUNS = SMOKE ? 1 : 5;
const TRAININGS = 2000;
const TARGET_MS = 1000;
const LINK = { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 750_000 / 8 };

// The host page, on an origin of its own (same site: the session cookie is SameSite=Lax).
const pages = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(
    `<!doctype html><html lang="en"><head><title>host page</title>` +
      `<script type="module" src="${api.url}/dist/pos-widgets.js"></script></head><body></body></html>`,
  );
});
await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
const pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
const api = await forkServer('bench/support/server-process.ts', {
  BENCH_TRAININGS: String(TRAININGS),
  BENCH_SERVE_DIST: '1',
  POS_CORS_ORIGINS: pageOrigin,
});

/** Navigation start → the bundle ran (its elements defined), in ms. */
async function loadBundle(page: Page): Promise<number> {
  await page.goto(`${pageOrigin}/`, { waitUntil: 'commit' });
  await page.waitForFunction(() => (window as { definedAt?: number }).definedAt, undefined, { polling: 5 });
  return page.evaluate(() => (window as { definedAt?: number }).definedAt!);
}

/** A new picker for the API's 2,000 trainings → its options ready to open, in ms. */
function addPicker(page: Page): Promise<number> {
  return page.evaluate(
    async ({ base, size }) => {
      type Picker = HTMLElement & { baseUrl: string; label: string; records?: unknown[]; updateComplete: Promise<unknown> };
      document.body.innerHTML = '';
      // A fresh request every time: the pickers share and cache their data for the page.
      (await import(`${base}/../dist/pos-widgets.js`)).refreshPickerData();
      const el = document.createElement('pos-training-picker') as Picker;
      el.label = 'Trainings';
      el.baseUrl = base;
      const started = performance.now();
      document.body.append(el);
      while (!el.records || el.records.length < size) await new Promise((r) => setTimeout(r, 5));
      await el.updateComplete;
      return performance.now() - started;
    },
    { base: `${api.url}/api`, size: TRAININGS },
  );
}

async function signIn(page: Page) {
  await page.evaluate(
    async ({ url, email, password }) => {
      const r = await fetch(url, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (!r.ok) throw new Error(`sign-in ${r.status}`);
    },
    { url: `${api.url}/api/auth/sign-in/email`, email: BENCH_USER, password: BENCH_PASSWORD },
  );
}

const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
const rows: Row[] = [];
const runs: Record<string, number[]> = { bundle: [], picker: [], revalidated: [], identity: [] };
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  // performance.now() counts from the navigation's start.
  await page.addInitScript(() =>
    customElements.whenDefined('pos-training-picker').then(() => ((window as { definedAt?: number }).definedAt = performance.now())),
  );
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', LINK);
  const cache = (disabled: boolean) => cdp.send('Network.setCacheDisabled', { cacheDisabled: disabled });

  await cache(true);
  // A first load unmeasured (the server's first requests compress and cache their answers).
  await loadBundle(page);
  await signIn(page);
  await addPicker(page);
  for (let i = 0; i < RUNS; i++) runs.bundle!.push(await loadBundle(page));
  for (let i = 0; i < RUNS; i++) runs.picker!.push(await addPicker(page));
  await cache(false);
  await addPicker(page);
  for (let i = 0; i < RUNS; i++) runs.revalidated!.push(await addPicker(page));
  await cache(true);
  await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
  for (let i = 0; i < RUNS; i++) runs.identity!.push(await addPicker(page));
} finally {
  await browser.close();
  await api.stop();
  pages.close();
}

const row = (what: string, key: string, target?: number) => {
  const ms = median(runs[key]!);
  rows.push({
    measure: what,
    'median ms': Math.round(ms),
    runs: runs[key]!.map((x) => Math.round(x)).join(', '),
    target: target ? `≤ ${target}` : '(context)',
    met: target ? (ms <= target ? 'yes' : 'NO') : '',
  });
};
row('script-tag bundle: navigation → elements defined', 'bundle', TARGET_MS);
row(`<pos-training-picker>, ${TRAININGS.toLocaleString('en')} trainings: added → options ready`, 'picker', TARGET_MS);
row('the same, revalidated from the browser cache (304)', 'revalidated');
row('the same, compression refused (Accept-Encoding: identity)', 'identity');
console.log(rows);

publish(
  'bench:network',
  `## bench:network — the script tag and a picker over a slow link, cross-origin

${machine()}. Headless Chromium; CDP Network.emulateNetworkConditions: 1.6 Mbit/s down (200,000 B/s), 750 kbit/s up,
150 ms latency; browser cache disabled but in the revalidation row. The host page on one origin, the bundle
(\`<script type="module">\`) and the API (credentials, \`POS_CORS_ORIGINS\` listing the page) on the reference server's;
the picker's list is the 2,000-training answer (777 KB as JSON, about 60 KB in brotli). Median of ${RUNS}.

${table(rows)}`,
);
