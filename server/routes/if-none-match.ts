/**
 * RFC 9110 If-None-Match: `*`, or a list of entity tags compared weakly.
 * A tag matches `etag` in any of its codings (`"x-br"`, `"x-gzip"`: see
 * compression.ts): a client holding the answer in one coding holds the same
 * content, whatever coding it would get now.
 */
export function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header === etag) return true;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => {
    const strong = tag.trim().replace(/^W\//, '');
    return strong === etag || strong.replace(/-(?:br|gzip)"$/, '"') === etag;
  });
}
