import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';

/** The content codings the server sends, in its order of preference. */
export type Encoding = 'br' | 'gzip';

/** Bodies smaller than this go uncompressed: the saving is a few hundred bytes at most, the cost a coding per answer. */
export const MIN_COMPRESSED_BYTES = 1024;

/**
 * Brotli at quality 5: on the 2,000-training answer (761 KB) 62 KB in 11 ms,
 * against 76.7 KB in 3 ms at 1, 58.8 KB in 31 ms at 7 and 47 KB in 4.4 s at
 * 11 (BENCHMARKS.md). Answers are compressed once per data version, but a
 * write by any session moves it, so the coding must stay cheap.
 */
const BROTLI_QUALITY = 5;

export function encode(bytes: Uint8Array, encoding: Encoding): Buffer {
  return encoding === 'br'
    ? brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength },
      })
    : gzipSync(bytes);
}

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * The smallest coding, made on libuv's thread pool (the event loop goes on):
 * for files compressed once per build. Brotli 11 on the bundle: 19.5 KB
 * against 21.1 KB at 5, in about 0.3 s (1–1.3 s for the example pages'
 * 180–220 KB scripts), which would stall every open stream if made on the loop.
 */
export function encodeSmallest(bytes: Uint8Array, encoding: Encoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotliAsync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength },
      })
    : gzipAsync(bytes, { level: constants.Z_BEST_COMPRESSION });
}

// Clients send a handful of distinct Accept-Encoding values: each is parsed once.
const chosen = new Map<string, Encoding | undefined>();

/**
 * The coding to send for an Accept-Encoding header (RFC 9110 §12.5.3): br
 * before gzip among those with a q-value above 0 (`*` counts for both);
 * none (identity) without the header or when neither is acceptable.
 */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  if (chosen.has(acceptEncoding)) return chosen.get(acceptEncoding);
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.split(';');
    const weight = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
    q.set(name.trim().toLowerCase(), weight === undefined ? 1 : Number(weight));
  }
  const acceptable = (coding: Encoding) => (q.get(coding) ?? q.get('*') ?? 0) > 0;
  const encoding = acceptable('br') ? 'br' : acceptable('gzip') ? 'gzip' : undefined;
  if (chosen.size < 100) chosen.set(acceptEncoding, encoding);
  return encoding;
}

/** A strong ETag per representation: the coding is part of it (RFC 9110 §8.8.3). */
export const etagFor = (etag: string, encoding: Encoding | undefined) => (encoding ? `${etag.slice(0, -1)}-${encoding}"` : etag);
