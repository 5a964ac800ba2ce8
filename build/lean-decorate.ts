/**
 * TypeScript's legacy `__decorate` helper, as Rolldown inlines and minifies
 * it, made to fit the kit's one use of it: property decorators (`@property`,
 * `@state`), each called `(decorators, prototype, name, void 0)`. The class,
 * method and `Reflect.decorate` (reflect-metadata) paths never run there.
 * The replacement has the original's length (padded with spaces, which the
 * terser pass removes), so Rolldown's source map still lines up.
 */
const HELPER = /function ([\w$]+)\(e,t,n,r\)\{var [^{}]*Reflect\.decorate[^{}]*Object\.defineProperty\(t,n,a\),a\}/;

/** `code` with the lean helper; unchanged where there is no helper; throws where the helper has another use. */
export function leanDecorate(code: string, file: string): string {
  const found = HELPER.exec(code);
  if (!found) return code;
  const name = found[1]!.replace(/\$/g, '\\$');
  const calls = code.match(new RegExp(`(?<![\\w$.])${name}\\(`, 'g'))!.length - 1;
  // A property's: `name([decorators],Class.prototype,"field",void 0)`, the string in any quotes.
  const property = new RegExp(`(?<![\\w$.])${name}\\(\\[[^\\]]*\\],[\\w$]+\\.prototype,(["'\\x60])[\\w$]+\\1,void 0\\)`, 'g');
  const propertyCalls = code.match(property)?.length ?? 0;
  if (calls !== propertyCalls) throw new Error(`${file}: a decorator other than a property's (build/lean-decorate.ts handles only those)`);
  const lean = `function ${found[1]}(e,t,n,r){for(let i=e.length;i--;)r=e[i](t,n,r)||r;r&&Object.defineProperty(t,n,r)}`;
  return code.replace(HELPER, () => lean.padEnd(found[0].length));
}
