/**
 * What the end-to-end tests need around the page: a built bundle, the
 * reference server started as `npm start` starts it, Chromium, and keyboard
 * helpers that see through shadow roots.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The newest modification time under `dir`, recursively. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * Builds dist/pos-widgets.js when it is missing or older than components/.
 * `--emptyOutDir=false`: the rest of dist/ (per-element modules, types) is
 * other builds' output and stays.
 */
export function ensureBundle(): void {
  const bundle = join(ROOT, 'dist/pos-widgets.js');
  let built = 0;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    // missing: build it
  }
  if (built > newest(join(ROOT, 'components'))) return;
  const result = spawnSync('npx', ['vite', 'build', '--emptyOutDir=false'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * The reference server as `npm start` runs it (demo controls, a 20 s stream
 * timeout), on a free port and a throw-away database seeded with the demo data.
 */
/** The flags `npm start` gives the server, read from package.json so the two never drift apart. */
const START_FLAGS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start
  .split('server/main.ts')[1]!
  .trim()
  .split(/\s+/);

export async function startServer(): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'pos-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...START_FLAGS, '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, POS_DB: join(dir, 'demo.sqlite'), PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Where focus really is: the id (or tag) of the outermost focused element and of the innermost one. */
export interface Focus {
  /** `#id` or tag name of the focused element of the document (a shadow host for a focused inner control). */
  outer: string;
  /** `#id` or tag name of the element that really has focus. */
  inner: string;
  /** Its text, trimmed (a button's label). */
  text: string;
  /** Its `name` attribute. */
  name: string;
}

export function focusPath(page: Page): Promise<Focus> {
  // No helper functions inside: tsx would wrap them in a `__name()` the page does not have.
  return page.evaluate(() => {
    const outer = document.activeElement;
    let inner: Element | null = outer;
    while (inner?.shadowRoot?.activeElement) inner = inner.shadowRoot.activeElement;
    return {
      outer: outer ? (outer.id ? `#${outer.id}` : outer.localName) : '',
      inner: inner ? (inner.id ? `#${inner.id}` : inner.localName) : '',
      text: (inner?.textContent ?? '').trim().slice(0, 80),
      name: inner?.getAttribute('name') ?? '',
    };
  });
}

export async function tabTo(page: Page, matches: (focus: Focus) => boolean, { max = 60, backwards = false } = {}): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const focus = await focusPath(page);
    if (matches(focus)) return;
    seen.push(`${focus.outer}>${focus.inner}${focus.text ? ` "${focus.text}"` : ''}`);
  }
  throw new Error(`Tab never reached the wanted control; focus went through:\n${seen.join('\n')}`);
}

/**
 * Types a filter into the focused picker and takes the first match with Enter,
 * once the picker has made it the active option.
 */
export async function pickByTyping(page: Page, host: string, text: string): Promise<void> {
  await page.keyboard.type(text);
  await page.waitForFunction(
    ({ host, text }) => {
      const input = document.querySelector(host)?.shadowRoot?.querySelector('#input') as HTMLInputElement | null;
      return !!input && input.value === text && !!input.getAttribute('aria-activedescendant');
    },
    { host, text },
  );
  await page.keyboard.press('Enter');
}
