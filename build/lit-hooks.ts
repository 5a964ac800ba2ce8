import type { Plugin } from 'vite';

/**
 * Lit's hooks for the ShadyDOM/ShadyCSS polyfills (`@webcomponents/polyfill-support`,
 * for browsers without shadow DOM) and for SSR hydration, read from globals
 * once as Lit loads, as `undefined` in the script-tag build (vite.config.ts):
 * no browser that runs the bundle (ES2022, CSS `light-dark()`) needs the
 * polyfills, and the kit's elements are not server-rendered. The minifier
 * then drops the calls. (Lit's global version lists stay: another copy's
 * dev build reads them.)
 */
const HOOK = /\b[\w$]+\.(?:litHtmlPolyfillSupport|reactiveElementPolyfillSupport|litElementPolyfillSupport|litElementHydrateSupport)\b/g;
const FILES = /[/\\](?:lit-html[/\\]lit-html|@lit[/\\]reactive-element[/\\]reactive-element|lit-element[/\\]lit-element)\.js$/;

export function litWithoutPolyfillHooks(): Plugin {
  return {
    name: 'pos:lit-without-polyfill-hooks',
    apply: 'build',
    transform(code, id) {
      if (!FILES.test(id)) return null;
      // In parentheses (`void 0?.()` would call 0), padded to the hook's length: every other column stays where Lit's source map has it.
      const result = code.replace(HOOK, (hook) => '(void 0)'.padEnd(hook.length));
      if (result === code) this.error(`${id}: no polyfill hook found (build/lit-hooks.ts)`);
      return { code: result, map: null };
    },
  };
}
