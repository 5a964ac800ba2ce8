// The Vue side of vue.test.ts (plain JS: its imports exist only after a
// build), bundled with Vue 3 (its template compiler included) and the kit's
// built dist/index.js by bundles.mjs and loaded as vue-app.bundle.js.
import { createApp, nextTick, ref } from 'vue';
import '../../dist/index.js';

export { createApp, nextTick, ref };
