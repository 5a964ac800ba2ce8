/**
 * @lit/reactive-element's css-tag.js for the script-tag build (vite.config.ts):
 * every browser that can run that bundle (ES2022 and CSS `light-dark()`)
 * adopts constructed style sheets, so Lit's fallback for browsers that cannot
 * (a `<style>` per sheet, `litNonce`, the ShadyCSS check) never runs there.
 * The same API, the parts the kit and Lit use: a `CSSResult` (with Lit's
 * `_$cssResult$` brand, which another copy of Lit also accepts), `css` with
 * only css results and numbers interpolated, `unsafeCSS`, `adoptStyles`.
 * The elements' own modules (vite.elements.config.ts) and the tests use Lit's.
 */
export const supportsAdoptingStyleSheets = true;

export class CSSResult {
  readonly _$cssResult$ = true;
  #sheet: CSSStyleSheet | undefined;
  constructor(readonly cssText: string) {}
  get styleSheet(): CSSStyleSheet {
    if (!this.#sheet) (this.#sheet = new CSSStyleSheet()).replaceSync(this.cssText);
    return this.#sheet;
  }
  toString(): string {
    return this.cssText;
  }
}

type Style = CSSResult | CSSStyleSheet;

/** As Lit: anything but another css result or a number is refused, so no string reaches a sheet unnoticed. */
const cssValue = (value: unknown) => {
  if (typeof value === 'number') return value;
  if ((value as CSSResult | undefined)?._$cssResult$) return (value as CSSResult).cssText;
  throw new TypeError(`css: ${String(value)} is not a css result (use unsafeCSS)`);
};

export const css = (strings: TemplateStringsArray, ...values: unknown[]): CSSResult =>
  new CSSResult(strings.reduce((text, string, i) => text + cssValue(values[i - 1]) + string));

export const unsafeCSS = (value: unknown): CSSResult => new CSSResult(String(value));

export const adoptStyles = (root: ShadowRoot, styles: Style[]): void => {
  root.adoptedStyleSheets = styles.map((s) => (s instanceof CSSStyleSheet ? s : s.styleSheet));
};

export const getCompatibleStyle = (style: Style): Style => style;
