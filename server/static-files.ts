import { readFileSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { createMiddleware } from 'hono/factory';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress';
import { getMimeType } from 'hono/utils/mime';
import { chooseEncoding, etagFor } from './compression.js';
import { requestHeader } from './security-headers.js';
import { ifNoneMatch } from './routes/if-none-match.js';
import { CachedBody } from './routes/response-cache.js';

/**
 * Rolldown's `[name]-[hash].js` (the bundle's and the element modules'
 * chunks, the example pages' scripts) and its source map: a new build of
 * changed code is a new name. A hash is 8 base64url characters with at least
 * one capital, digit or underscore, which tells it from a name's last word
 * (`pptx-export-progress.js`); a hash without one is merely revalidated.
 */
const HASHED = /-(?=[a-z-]*[A-Z0-9_])[A-Za-z0-9_-]{8}\.js(?:\.map)?$/;

/**
 * The Cache-Control of a built or demo file: content-hashed names never
 * change, so browsers keep them a year without asking; every other file
 * (the bundle, the element modules, the demo pages) is revalidated on each
 * use with its ETag, which costs a 304 and lets a new build show at once.
 */
export const cacheControlOf = (path: string) => (HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');

/**
 * Files under `root`, with a strong ETag (a hash of the content), the
 * Cache-Control above, and brotli or gzip as the client accepts (`Vary:
 * Accept-Encoding`) for compressible types of 1 KB or more. Each file is read
 * and each coding made once (at the smallest size, off the event loop), on
 * first request, and kept until the file
 * changes (its size or modification time; checked per request, so a rebuild
 * under a running `npm start` is served at once).
 *
 * Why not serveStatic with `precompressed: true` (@hono/node-server 2.1.9):
 * it sends Last-Modified but no ETag and never answers 304, so every
 * revalidation of the bundle sends it whole; it adds `Vary: Accept-Encoding`
 * only to compressed answers; and it needs `.br`/`.gz` files beside each
 * file, which for dist/ would ship in the npm package and for the demo's
 * sources do not exist.
 */
export function staticFiles({ root }: { root: string }) {
  const base = resolve(root);
  const files = new Map<string, CachedBody>();

  return createMiddleware(async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const path = c.req.path;
    // Hono has decoded the path: anything that could leave `root` is refused outright.
    if (/(?:^|[/\\])\.{1,2}(?:$|[/\\])|[/\\]{2,}|\\|\0/.test(path)) return next();
    let file = join(base, path);
    if (file !== base && !file.startsWith(base + sep)) return next();
    let stats = statSync(file, { throwIfNoEntry: false });
    if (stats?.isDirectory()) stats = statSync((file = join(file, 'index.html')), { throwIfNoEntry: false });
    if (!stats?.isFile()) return next();

    const version = `${stats.size}:${stats.mtimeMs}`;
    let cached = files.get(file);
    if (cached?.version !== version) files.set(file, (cached = new CachedBody(version, readFileSync(file))));
    const type = getMimeType(file) ?? 'application/octet-stream';
    const compressible = cached.compressible && COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type);
    const encoding = compressible ? chooseEncoding(requestHeader(c, 'accept-encoding')) : undefined;
    const headers: Record<string, string> = { ETag: etagFor(cached.etag, encoding), 'Cache-Control': cacheControlOf(path) };
    if (compressible) headers.Vary = 'Accept-Encoding';
    if (ifNoneMatch(requestHeader(c, 'if-none-match'), cached.etag)) return c.body(null, 304, headers);
    headers['Content-Type'] = type;
    if (encoding) headers['Content-Encoding'] = encoding;
    return c.body((await cached.smallestBytes(encoding)) as Uint8Array<ArrayBuffer>, 200, headers);
  });
}
