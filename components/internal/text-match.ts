import { html, type TemplateResult } from 'lit';

/** The filter as compared: trimmed and lower-cased (a case-insensitive substring match). */
export const normalizeQuery = (query: string) => query.trim().toLocaleLowerCase();

/**
 * `text` with every case-insensitive occurrence of `query` wrapped in
 * `<mark part="match">`. Built from text parts, never from HTML, so record
 * data stays text whatever it contains.
 */
export function highlight(text: string, query: string): TemplateResult | string {
  const needle = normalizeQuery(query);
  if (!needle) return text;
  const haystack = text.toLocaleLowerCase();
  // Lower-casing can change the length of some characters (İ); then match nothing rather than mis-slice.
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
