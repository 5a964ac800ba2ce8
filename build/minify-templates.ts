import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'lightningcss';
import { minifyHTMLLiterals } from 'minify-literals';
import type { Plugin } from 'vite';

const COMPONENTS = fileURLToPath(new URL('../components/', import.meta.url));
const PRIVATE_PROPERTY = /--_[\w-]+/g;

/**
 * Minifies the HTML and CSS inside our Lit `html` and `css` templates at
 * build time (comments, indentation, redundant CSS), which the JS minifier
 * leaves alone because they are strings. The kit's budget is in brotli bytes,
 * and the templates are a third of our code. Sources and tests keep the
 * readable templates; only dist/ gets these.
 *
 * CSS goes through Lightning CSS, and the private custom properties
 * (`--_text-muted`, see theme.ts) get short names (`--_0`, `--_1` …), the same
 * in every file and every build: they never leave the kit's shadow roots.
 */
export function minifyTemplates(): Plugin {
  const names = shortNames();
  const minifyCSS = (css: string, filename: string) =>
    transform({ filename, code: Buffer.from(css), minify: true })
      .code.toString()
      .replace(PRIVATE_PROPERTY, (name) => names.get(name) ?? name);
  return {
    name: 'pos:minify-templates',
    apply: 'build',
    async transform(code, id) {
      if (!/\/components\/.+\.ts$/.test(id)) return null;
      const result = await minifyHTMLLiterals(code, { fileName: id, minifyOptions: { minifyCSS: (css: string) => minifyCSS(css, id) } });
      // Renamed in CSS templates only: a private property anywhere else would no longer match its rules.
      const missed = result?.code.match(PRIVATE_PROPERTY)?.find((name) => names.has(name));
      if (missed) throw new Error(`${id}: ${missed} outside a css template (build/minify-templates.ts renames them in CSS only)`);
      // minify-literals types the map's version loosely; it is a v3 map.
      return result && { code: result.code, map: result.map as { version: number; mappings: string } | undefined };
    },
  };
}

/** Every `--_name` in components/, in name order, to `--_0` … `--_z`, `--_10` …. */
function shortNames(): Map<string, string> {
  const found = new Set<string>();
  for (const file of readdirSync(COMPONENTS, { recursive: true, encoding: 'utf8' })) {
    if (file.endsWith('.ts')) for (const [name] of readFileSync(join(COMPONENTS, file), 'utf8').matchAll(PRIVATE_PROPERTY)) found.add(name);
  }
  return new Map([...found].sort().map((name, i) => [name, `--_${i.toString(36)}`]));
}
