import { createHash } from 'node:crypto';

interface Entry {
  version: string;
  body: Uint8Array;
  etag: string;
}

/**
 * Serialized JSON responses kept per key (route and organisation) for as long
 * as the data version they were built at is current. A hit costs a Map lookup:
 * no query, no JSON.stringify, no hashing; a 304 is answered from its ETag.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 1000) {}

  /** The entry for `key` built at `version` (the request's data version), building it if need be. */
  get(key: string, version: string, build: () => unknown): Entry {
    const hit = this.entries.get(key);
    if (hit?.version === version) return hit;

    const body = Buffer.from(JSON.stringify(build()));
    const entry = { version, body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    this.entries.delete(key);
    this.entries.set(key, entry);
    // Maps iterate in insertion order: the first key is the least recently built.
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}
