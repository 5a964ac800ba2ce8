import { minifyHTMLLiterals } from 'minify-literals';
import type { Plugin } from 'vite';

/**
 * Minifies the HTML and CSS inside our Lit `html` and `css` templates at
 * build time (comments, indentation, redundant CSS), which the JS minifier
 * leaves alone because they are strings. The kit's budget is in brotli bytes,
 * and the templates are a third of our code. Sources and tests keep the
 * readable templates; only dist/ gets these.
 */
export function minifyTemplates(): Plugin {
  return {
    name: 'pos:minify-templates',
    apply: 'build',
    async transform(code, id) {
      if (!/\/components\/.+\.ts$/.test(id)) return null;
      const result = await minifyHTMLLiterals(code, { fileName: id });
      // minify-literals types the map's version loosely; it is a v3 map.
      return result && { code: result.code, map: result.map as { version: number; mappings: string } | undefined };
    },
  };
}
