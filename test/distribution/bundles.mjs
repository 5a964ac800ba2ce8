// A web-test-runner plugin for the distribution tests: React ships as
// CommonJS, which the test server cannot serve to a browser as is, so a page
// asking for /test/distribution/<name>.bundle.js gets test/distribution/<name>.js
// bundled by Vite with everything it imports (React, Vue with its template
// compiler, and the kit's built modules from dist/), the way an app's bundler would.
import { existsSync } from 'node:fs';
import { build } from 'vite';

export function distributionBundles() {
  const cache = new Map();
  return {
    name: 'pos-distribution-bundles',
    async serve(context) {
      const match = /^\/test\/distribution\/([\w-]+)\.bundle\.js$/.exec(context.path);
      if (!match) return undefined;
      const entry = `test/distribution/${match[1]}.js`;
      if (!existsSync(entry)) return undefined;
      if (!existsSync('dist/react.js')) throw new Error('dist/ is missing: run `npm run build` before the distribution tests');
      if (!cache.has(entry)) cache.set(entry, bundle(entry));
      return { body: await cache.get(entry), type: 'js' };
    },
  };
}

async function bundle(entry) {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    resolve: { alias: [{ find: /^vue$/, replacement: 'vue/dist/vue.esm-bundler.js' }] },
    define: {
      'process.env.NODE_ENV': '"development"', // React's and Vue's development builds: their warnings help a failing test
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    build: {
      write: false,
      target: 'es2022',
      minify: false,
      sourcemap: 'inline',
      lib: { entry, formats: ['es'], fileName: () => 'bundle.js' },
      rolldownOptions: { output: { codeSplitting: false } },
    },
  });
  const output = (Array.isArray(result) ? result[0] : result).output;
  return output.find((file) => file.type === 'chunk' && file.isEntry).code;
}
