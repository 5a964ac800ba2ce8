// Benchmark (not a test): a <pos-training-picker> with 10,000 trainings handed in
// through `data`, in headless Chromium, from the built bundle.
//
//   npx vite build && node bench/widgets.mjs
//
// Prints the time to first render, to open the list (ArrowDown), per keystroke
// of a filter (median and p95 over 20 keystrokes, from keydown to the next
// painted frame), and the number of option nodes in the DOM.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium-path.mjs';

const RECORDS = 10_000;
const bundle = fileURLToPath(new URL('../dist/pos-widgets.js', import.meta.url));
const js = await readFile(bundle, 'utf8').catch(() => {
  console.error('dist/pos-widgets.js is missing: run `npx vite build` first.');
  process.exit(1);
});

const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pos bench</title></head>
<body><script type="module" src="/pos-widgets.js"></script></body></html>`;
const server = createServer((req, res) => {
  if (req.url === '/pos-widgets.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
  else res.writeHead(200, { 'content-type': 'text/html' }).end(page);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await puppeteer.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
try {
  const tab = await browser.newPage();
  await tab.setViewport({ width: 1280, height: 900 });
  await tab.goto(url);
  await tab.waitForFunction(() => customElements.get('pos-training-picker'));

  const firstRender = await tab.evaluate(async (count) => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const data = Array.from({ length: count }, (_, i) => ({
      id: `t${i}`,
      title: `Training ${String(i).padStart(5, '0')}`,
      description: `Generated module number ${i} about ${['security', 'sales', 'cloud', 'data'][i % 4]}.`,
      tags: [['security', 'sales', 'cloud', 'data'][i % 4], i % 2 ? 'odd' : 'even'],
      specializationId: null,
      durationMinutes: 10 + (i % 50),
    }));
    const start = performance.now();
    const el = document.createElement('pos-training-picker');
    el.label = 'Training';
    el.data = data;
    document.body.append(el);
    await el.updateComplete;
    await frame();
    window.__el = el;
    // Latency probe: keydown time → the frame after the element's update.
    window.__keydownAt = 0;
    el.addEventListener('keydown', () => (window.__keydownAt = performance.now()), { capture: true });
    // The frame after the update: one animation frame, then a task (after it painted).
    const painted = () => new Promise((r) => requestAnimationFrame(() => { const c = new MessageChannel(); c.port1.onmessage = r; c.port2.postMessage(0); }));
    window.__latency = async (needOptions = false) => {
      await el.updateComplete;
      await painted();
      while (needOptions && !window.__options()) await painted();
      return performance.now() - window.__keydownAt;
    };
    window.__options = () => el.shadowRoot.querySelectorAll('[role="option"]').length;
    return performance.now() - start;
  }, RECORDS);

  await tab.evaluate(() => window.__el.focus());
  await tab.keyboard.press('ArrowDown');
  const open = await tab.evaluate(() => window.__latency(true));
  const optionsOpen = await tab.evaluate(() => window.__options());

  // 'module number 12' then four Backspaces: every keystroke filters all 10,000 records.
  const keys = [...'module number 12', 'Backspace', 'Backspace', 'Backspace', 'Backspace'];
  const perKey = [];
  for (const key of keys) {
    await tab.keyboard.press(key === ' ' ? 'Space' : key);
    perKey.push(await tab.evaluate(() => window.__latency()));
  }
  const optionsFiltered = await tab.evaluate(() => window.__options());
  await tab.keyboard.press('End');
  await tab.evaluate(() => window.__latency());
  const sorted = [...perKey].sort((a, b) => a - b);
  const pick = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const ms = (n) => `${n.toFixed(1)} ms`;
  console.log(`<pos-training-picker> with ${RECORDS.toLocaleString('en')} records (data property), Chromium headless`);
  console.log(`  first render          ${ms(firstRender)}`);
  console.log(`  open (ArrowDown)      ${ms(open)}`);
  console.log(`  keystroke (n=${perKey.length})     median ${ms(pick(0.5))}, p95 ${ms(pick(0.95))}, max ${ms(sorted.at(-1))}`);
  console.log(`  option nodes in DOM   ${optionsOpen} open, ${optionsFiltered} while filtered`);
} finally {
  await browser.close();
  server.close();
}
