import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// `npm run build`, last step: the React and Vue example pages' scripts
// (demo/react.js, demo/vue.js) bundled with their framework into dist/demo/,
// which the reference server serves at /dist/demo/ (not part of the package).
// They import the kit by its package name, as an app would, resolved to the
// artefacts the earlier steps built.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@partneros\/workflow-widgets\/react$/, replacement: here('./dist/react.js') },
      { find: /^@partneros\/workflow-widgets$/, replacement: here('./dist/index.js') },
      // The full build of Vue, with the template compiler, so the example can use a plain template string.
      { find: /^vue$/, replacement: 'vue/dist/vue.esm-bundler.js' },
    ],
  },
  define: {
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  build: {
    target: 'es2022',
    outDir: 'dist/demo',
    emptyOutDir: true,
    copyPublicDir: false,
    rolldownOptions: {
      input: { react: here('./demo/react.js'), vue: here('./demo/vue.js') },
      output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
});
