import { defineConfig } from 'vite';

// `npm run build`: dist/pos-widgets.js, one self-contained ES module (Lit
// bundled in, production build) that registers every element.
export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    lib: {
      entry: { 'pos-widgets': 'components/index.ts' },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
  },
});
