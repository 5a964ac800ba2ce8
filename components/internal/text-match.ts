import { html, type TemplateResult } from 'lit';

/**
 * `text` as the filter compares it: lower-cased by the locale's rules (Turkish
 * `I` → `ı`, `İ` → `i`), then without diacritics (`für` → `fur`, `É` → `e`),
 * recomposed (Hangul stays syllables). Lower-casing comes first so that `İ`
 * keeps its dot's meaning in Turkish. The pickers fold each record once, not
 * per keystroke (`Intl.Collator` per comparison is too slow at 10,000 records).
 */
export const fold = (text: string, locale?: string): string =>
  text.toLocaleLowerCase(locale).normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');

/** The filter as compared: trimmed and folded (a substring match ignoring case and diacritics). */
export const normalizeQuery = (query: string, locale?: string) => fold(query.trim(), locale);

/**
 * `text` with every occurrence of `query` (compared folded, as the filter
 * does) wrapped in `<mark part="match">`. Built from text parts, never from
 * HTML, so record data stays text whatever it contains.
 */
export function highlight(text: string, query: string, locale?: string): TemplateResult | string {
  const needle = normalizeQuery(query, locale);
  if (!needle) return text;
  const haystack = fold(text, locale);
  // Folding keeps the length of precomposed text (`ü` → `u`); where it does not (text typed decomposed), match nothing rather than mis-slice.
  if (haystack.length !== text.length) return text;
  const pieces: (string | TemplateResult)[] = [];
  let from = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, from)) {
    if (at > from) pieces.push(text.slice(from, at));
    pieces.push(html`<mark part="match">${text.slice(at, at + needle.length)}</mark>`);
    from = at + needle.length;
  }
  if (from === 0) return text;
  if (from < text.length) pieces.push(text.slice(from));
  return html`${pieces}`;
}
