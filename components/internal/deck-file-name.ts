/**
 * A deck's download name from its lesson title: ASCII letters, digits, `.`,
 * `_` and `-`, safe on every OS, never empty. One rule for the reference
 * server's Content-Disposition and the element's `download` suggestion, so the
 * two always agree.
 */
export function deckFileName(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9 ._-]+/g, ' ')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 80);
  return `${base || 'lesson'}.pptx`;
}
