import { defineConfig } from 'vite';

/** The locale packs: `dist/locales/<lang>.js`, one for each file in components/locales/. */
export const LOCALES = ['de', 'fr', 'es', 'ja', 'ar'] as const;

// `npm run build`, third step: the packs, plain data modules beside the bundle
// and the element modules. A pack imports no Lit and no element: it hands its
// texts to the registry on `globalThis` (components/internal/locale-registry.ts),
// so one file serves the script-tag bundle and the module build alike. The
// registry's few lines are a small chunk the packs share (dist/locales/locale-registry-*.js).
export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist/locales',
    emptyOutDir: false,
    sourcemap: true,
    lib: {
      entry: Object.fromEntries(LOCALES.map((lang) => [lang, `components/locales/${lang}.ts`])),
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: { output: { minify: true, chunkFileNames: '[name]-[hash].js' } },
  },
});
