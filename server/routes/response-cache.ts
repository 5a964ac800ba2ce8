import { createHash } from 'node:crypto';
import { encode, encodeSmallest, MIN_COMPRESSED_BYTES, type Encoding } from '../compression.js';

/** One serialized answer at one data version, with its codings made on first demand. */
export class CachedBody {
  readonly etag: string;
  private readonly encoded = new Map<Encoding, Buffer>();
  private readonly smallest = new Map<Encoding, Promise<Buffer>>();

  constructor(
    readonly version: string,
    readonly body: Uint8Array,
  ) {
    this.etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  }

  /** Whether the body is worth compressing at all (see MIN_COMPRESSED_BYTES). */
  get compressible(): boolean {
    return this.body.byteLength >= MIN_COMPRESSED_BYTES;
  }

  /** The body in `encoding`, compressed once for this version and kept with it. */
  bytes(encoding: Encoding | undefined): Uint8Array {
    if (!encoding) return this.body;
    let bytes = this.encoded.get(encoding);
    if (!bytes) this.encoded.set(encoding, (bytes = encode(this.body, encoding)));
    return bytes;
  }

  /** The body in `encoding` at the smallest size, made once off the event loop (built files: see encodeSmallest). */
  async smallestBytes(encoding: Encoding | undefined): Promise<Uint8Array> {
    if (!encoding) return this.body;
    let bytes = this.smallest.get(encoding);
    if (!bytes) this.smallest.set(encoding, (bytes = encodeSmallest(this.body, encoding)));
    return bytes;
  }
}

/**
 * Serialized JSON responses kept per key (route and organisation) for as long
 * as the data version they were built at is current. A hit costs a Map lookup:
 * no query, no JSON.stringify, no hashing, no compression; a 304 is answered
 * from its ETag.
 */
export class ResponseCache {
  private readonly entries = new Map<string, CachedBody>();

  constructor(private readonly maxEntries = 1000) {}

  /**
   * The entry for `key` built at `version` (the request's data version, read
   * before `build` runs: the body is at least as new as it), building it if need be.
   */
  async get(key: string, version: string, build: () => Promise<unknown>): Promise<CachedBody> {
    const hit = this.entries.get(key);
    if (hit?.version === version) return hit;

    const entry = new CachedBody(version, Buffer.from(JSON.stringify(await build())));
    this.entries.delete(key);
    this.entries.set(key, entry);
    // Maps iterate in insertion order: the first key is the least recently built.
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}
