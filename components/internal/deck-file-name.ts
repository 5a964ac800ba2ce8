/**
 * A deck's download name from its lesson title: its letters, marks and digits
 * in any script (an Arabic, Hebrew or Japanese title keeps its words), `.`,
 * `_` and `-`, words joined by `-`, at most 80 characters, never empty and
 * never hidden (no leading dot). Everything else becomes a word break: path
 * separators, the characters Windows forbids, controls, and the bidi controls
 * that could make `gnp.exe` read as `exe.png`. One rule for the reference
 * server's Content-Disposition and the element's `download` suggestion, so the
 * two always agree.
 */
export function deckFileName(title: string): string {
  const base = title
    .normalize('NFC')
    .replace(/[^\p{L}\p{M}\p{N}._-]+/gu, ' ')
    .replace(/^[\s.]+|\s+$/g, '')
    .replace(/\s+/g, '-');
  return `${[...base].slice(0, 80).join('') || 'lesson'}.pptx`;
}

/**
 * `name` for Content-Disposition's plain `filename=`, which must be Latin-1
 * (`filename*=UTF-8''…` carries the real name to every current browser):
 * accents dropped, any other non-ASCII character `_`.
 */
export const asciiFileName = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^ -~]/g, '_');
