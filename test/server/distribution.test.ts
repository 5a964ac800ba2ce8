/**
 * The package as a consumer gets it: `npm pack`, installed from the tarball
 * into a scratch folder (its dependencies from a local registry on 127.0.0.1
 * that serves this project's installed copies, with an npm cache of its own
 * that starts empty: no network, nothing left by an earlier install), then
 * resolved and imported from Node, its types checked by tsc, and its
 * script-tag bundle run in Chromium.
 * Needs `npm run build` first (`npm test` builds).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { dependencyClosure, startLocalRegistry, type LocalRegistry } from '../support/local-registry.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const NAME = '@partneros/workflow-widgets';
const TAGS = ['pos-pptx-export-progress', 'pos-specialization-picker', 'pos-tag-picker', 'pos-training-picker', 'pos-trigger-select'];

describe('the package from its tarball', { timeout: 120_000 }, () => {
  let scratch: string;
  let app: string;
  let installed: string;
  let packed: string[];
  let registry: LocalRegistry | undefined;

  before(async () => {
    assert.ok(
      existsSync(join(ROOT, 'dist/pos-widgets.js')) && existsSync(join(ROOT, 'dist/types')),
      'dist/ is missing: run `npm run build` first',
    );
    scratch = mkdtempSync(join(tmpdir(), 'pos-tarball-'));
    // --ignore-scripts: the build already ran; the tarball is what dist/ holds now.
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: ROOT });
    const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    packed = info!.files.map((f) => f.path);
    app = join(scratch, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }));
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    registry = await startLocalRegistry(ROOT, dependencyClosure(ROOT, manifest), mkdtempSync(join(scratch, 'registry-')));
    await run(
      'npm',
      [
        'install',
        '--registry',
        registry.url,
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--omit=dev',
        '--no-package-lock',
        join(scratch, info!.filename),
      ],
      { cwd: app, env: { ...process.env, npm_config_cache: mkdtempSync(join(scratch, 'cache-')) } },
    ).catch((error: { stderr: string }) =>
      assert.fail(`the tarball did not install from ${registry!.packages.join(', ')}:\n${error.stderr}`),
    );
    installed = join(app, 'node_modules', NAME);
  });
  after(async () => {
    await registry?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('ships the built artefacts and nothing of the repository', () => {
    for (const file of [
      'dist/pos-widgets.js',
      'dist/index.js',
      'dist/react.js',
      'dist/custom-elements.json',
      'dist/vscode.html-custom-data.json',
      'dist/types/index.d.ts',
      'README.md',
      'package.json',
    ]) {
      assert.ok(packed.includes(file), `${file} is in the tarball`);
    }
    const stray = packed.filter((f) => !f.startsWith('dist/') && !['README.md', 'package.json', 'LICENSE'].includes(f));
    assert.deepEqual(stray, []);
    assert.deepEqual(
      packed.filter((f) => f.startsWith('dist/demo/')),
      [],
      'the example pages stay out',
    );
  });

  it('carries the licences: ours, and the notice of every package bundled into the script-tag file', () => {
    assert.ok(packed.includes('LICENSE'), 'LICENSE is in the tarball');
    const map = JSON.parse(readFileSync(join(installed, 'dist/pos-widgets.js.map'), 'utf8')) as { sources: string[] };
    const bundled = new Set(map.sources.flatMap((source) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1] ?? []));
    assert.ok(bundled.has('lit-html') && bundled.has('@lit/reactive-element'), `bundled packages: ${[...bundled].join(', ')}`);
    const notices = readFileSync(join(installed, 'dist/THIRD-PARTY-LICENSES.txt'), 'utf8');
    for (const name of bundled)
      assert.match(notices, new RegExp(`^Name: ${name}\n`, 'm'), `${name}'s licence is in THIRD-PARTY-LICENSES.txt`);
    assert.match(notices, /Redistributions in binary form must reproduce the above copyright notice/);
  });

  it('every `exports` entry resolves from Node to a file that exists, types included', async () => {
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      exports: Record<string, string | { types: string; default: string }>;
      types: string;
      customElements: string;
    };
    assert.ok(existsSync(join(installed, pkg.types)), `types ${pkg.types}`);
    assert.ok(existsSync(join(installed, pkg.customElements)), `customElements ${pkg.customElements}`);
    // A pattern entry (`./locales/*.js`) is checked for each pack the kit ships.
    const packs = ['de', 'fr', 'es', 'ja', 'ar'];
    const expand = (pattern: string) => (pattern.includes('*') ? packs.map((lang) => pattern.replace('*', lang)) : [pattern]);
    const subpaths = Object.keys(pkg.exports).flatMap(expand);
    // Node's own resolution, from a module inside the consumer's folder.
    const script = `for (const s of ${JSON.stringify(subpaths)}) console.log(import.meta.resolve(s === '.' ? '${NAME}' : '${NAME}' + s.slice(1)));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: app });
    const resolved = stdout
      .trim()
      .split('\n')
      .map((url) => new URL(url).pathname);
    assert.equal(resolved.length, subpaths.length);
    for (const [i, file] of resolved.entries()) {
      assert.ok(file.startsWith(installed) && existsSync(file), `${subpaths[i]} → ${file}`);
    }
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'object')
        for (const types of expand(target.types)) assert.ok(existsSync(join(installed, types)), `${subpath} types → ${types}`);
    }
  });

  it('imports custom-elements.json and the VS Code data from Node: the five elements with their API', async () => {
    const script = `
      import manifest from '${NAME}/custom-elements.json' with { type: 'json' };
      import data from '${NAME}/vscode.html-custom-data.json' with { type: 'json' };
      const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement && d.tagName);
      console.log(JSON.stringify({
        elements: Object.fromEntries(elements.map((d) => [d.tagName, {
          attributes: d.attributes.map((a) => a.name), events: d.events.map((e) => e.name),
          parts: d.cssParts.length, cssProperties: d.cssProperties.length }])),
        privateMembers: manifest.modules.flatMap((m) => m.declarations ?? []).flatMap((d) => d.members ?? [])
          .filter((m) => m.privacy === 'private' || m.name.startsWith('#')).map((m) => m.name),
        vscode: data.tags.map((t) => t.name),
      }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: app });
    const { elements, vscode, privateMembers } = JSON.parse(stdout) as {
      elements: Record<string, { attributes: string[]; events: string[]; parts: number; cssProperties: number }>;
      vscode: string[];
      privateMembers: string[];
    };
    assert.deepEqual(privateMembers, [], 'no private member is offered as API');
    assert.deepEqual(Object.keys(elements).sort(), TAGS);
    assert.deepEqual(vscode, TAGS);
    assert.ok(elements['pos-training-picker']!.attributes.includes('specialization-id'));
    assert.deepEqual(elements['pos-tag-picker']!.events, ['input', 'change', 'pos-error']);
    assert.deepEqual([...elements['pos-pptx-export-progress']!.events].sort(), [
      'pos-export-completed',
      'pos-export-error',
      'pos-export-state-change',
    ]);
    for (const [tag, e] of Object.entries(elements)) {
      assert.ok(e.parts > 0 && e.cssProperties > 0, `${tag} documents its parts and custom properties`);
    }
  });

  it('type-checks a consumer: typed createElement, element modules, the React wrappers', async () => {
    writeFileSync(
      join(app, 'consumer.ts'),
      `import { PosApiError, type PosTrainingPicker } from '${NAME}';
import '${NAME}/elements/tag-picker.js';
import { PosTagPicker } from '${NAME}/react';
const trainings: PosTrainingPicker = document.createElement('pos-training-picker');
trainings.tags = ['sales'];
const progress = document.createElement('pos-pptx-export-progress');
progress.addEventListener('pos-export-completed', () => {});
const state: 'idle' | 'dispatching' | 'queued' | 'connecting' | 'waiting' | 'reconnecting' | 'completed' | 'error' = progress.state;
export { PosApiError, PosTagPicker, state };
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          lib: ['ES2022', 'DOM'],
          types: [],
          skipLibCheck: true,
        },
        files: ['consumer.ts'],
      }),
    );
    await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', app]).catch((error: { stdout: string }) => {
      assert.fail(`tsc found errors in the consumer:\n${error.stdout}`);
    });
  });

  it('runs the installed bundle in Chromium: a page with only the script tag gets the five elements', async (t) => {
    const { findChromium, CHROMIUM_ARGS } = (await import(join(ROOT, 'scripts/chromium-path.mjs'))) as {
      findChromium(): string | undefined;
      CHROMIUM_ARGS: string[];
    };
    const executablePath = findChromium();
    if (!executablePath) return t.skip('no Chromium here (npm run test:browser installs it)');
    const { chromium } = await import('playwright-core');
    const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };
    const server = createServer((req, res) => {
      if (req.url === '/')
        return res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(
            `<!doctype html><script type="module" src="/node_modules/${NAME}/dist/pos-widgets.js"></script><pos-trigger-select></pos-trigger-select>`,
          );
      const file = join(app, decodeURIComponent(new URL(req.url!, 'http://x').pathname));
      if (!file.startsWith(app) || !existsSync(file)) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'warning' && errors.push(m.text())); // e.g. Lit's dev-mode warning
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const result = await page.evaluate(async (tags) => {
        await Promise.all(tags.map((tag) => customElements.whenDefined(tag)));
        const select = document.querySelector('pos-trigger-select') as HTMLElement & { updateComplete: Promise<unknown> };
        await select.updateComplete;
        return {
          defined: tags.filter((tag) => customElements.get(tag)),
          rendered: !!select.shadowRoot?.querySelector('[role="combobox"]'),
        };
      }, TAGS);
      assert.deepEqual(result, { defined: TAGS, rendered: true });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      server.close();
    }
  });
});
