import { defineConfig } from 'vite';
import { minifyTemplates } from './build/minify-templates.js';

/** The registering module of each element: `dist/elements/<name>.js`. */
export const ELEMENTS = ['specialization-picker', 'training-picker', 'tag-picker', 'trigger-select', 'pptx-export-progress'] as const;

/** Dependencies left as bare imports for the consumer's bundler to resolve and share (one Lit for the whole app). */
const EXTERNAL = /^(lit|lit-html|lit-element|@lit\/(reactive-element|task|react)|react)(\/|$)/;

// `npm run build`, second step: the modules for builders that import only what
// they use. `dist/index.js` (every element), `dist/elements/<name>.js` (one
// each), `dist/react.js` (the @lit/react wrappers), sharing `dist/chunks/`.
export default defineConfig({
  plugins: [minifyTemplates()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: false, // the first step's bundle stays
    sourcemap: true,
    lib: {
      entry: {
        index: 'components/index.ts',
        react: 'components/react.ts',
        ...Object.fromEntries(ELEMENTS.map((name) => [`elements/${name}`, `components/${name}/${name}.ts`])),
      },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: {
      external: (id) => EXTERNAL.test(id),
      // An element's define() call stays in its own entry file (dist/elements/<name>.js, listed in
      // sideEffects) instead of moving into a shared chunk a consumer's bundler may drop as pure.
      preserveEntrySignatures: 'allow-extension',
      output: { chunkFileNames: 'chunks/[name]-[hash].js', minify: true },
    },
  },
});
