import { fileURLToPath } from 'node:url';
import licensePlugin from 'rollup-plugin-license';
import { defineConfig } from 'vite';
import { litWithoutPolyfillHooks } from './build/lit-hooks.js';
import { minifyTemplates } from './build/minify-templates.js';
import { terserBundle } from './build/terser-bundle.js';

// A CommonJS package whose types declare an ES default export: under NodeNext
// TypeScript sees the module object, while Node hands us the function itself.
const license = licensePlugin as unknown as typeof licensePlugin.default;
const LIT_CSS_TAG = fileURLToPath(new URL('./build/lit-css-tag.ts', import.meta.url));

// `npm run build`, first step: dist/pos-widgets.js, one self-contained ES
// module (Lit and every other dependency bundled in, production build) that
// registers every element: the script-tag artefact. The per-element modules
// for bundlers come from vite.elements.config.ts (a second build: one file
// with everything inlined and modules sharing chunks cannot be one output).
export default defineConfig({
  resolve: {
    // Lit's decorators without their TC39 path, which this legacy-decorator build never takes (build/lit-legacy-decorators.ts).
    alias: [{ find: /^lit\/decorators\.js$/, replacement: fileURLToPath(new URL('./build/lit-legacy-decorators.ts', import.meta.url)) }],
  },
  plugins: [
    // Lit's styles without their fallback for browsers that cannot adopt sheets (build/lit-css-tag.ts).
    {
      name: 'pos:lit-css-tag',
      enforce: 'pre',
      resolveId: (source, importer) =>
        source === './css-tag.js' && /[/\\]@lit[/\\]reactive-element[/\\][^/\\]+\.js$/.test(importer ?? '') ? LIT_CSS_TAG : null,
    },
    litWithoutPolyfillHooks(),
    minifyTemplates(),
    // Lit is BSD-3-Clause: a binary that bundles it must carry its notice. The
    // file sits beside the bundle rather than as comments inside it (bytes every page pays).
    license({ thirdParty: { output: { file: 'dist/THIRD-PARTY-LICENSES.txt' } } }),
    // A second minifier over Rolldown's output, this build only (bytes every page pays).
    terserBundle(),
  ],
  build: {
    target: 'es2022',
    outDir: 'dist',
    // `npm run build` empties dist/ once first (build:clean); a bundle-only `vite build`
    // (the e2e tests rebuild it when components/ changed) leaves the other artefacts alone.
    emptyOutDir: false,
    sourcemap: true,
    lib: {
      entry: { 'pos-widgets': 'components/index.ts' },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: {
      // Library mode keeps an ES module's whitespace (for bundlers that read
      // it again); this file goes straight to browsers, so minify it fully.
      output: { minify: true },
    },
  },
});
