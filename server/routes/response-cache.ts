import { createHash } from 'node:crypto';

interface Entry {
  version: string;
  body: Uint8Array;
  etag: string;
}

/**
 * Serialized JSON responses kept per key (route and organisation) for as long
 * as the data version they were built at is current. A hit costs a Map lookup:
 * no query, no JSON.stringify, no hashing; Hono's etag middleware then answers
 * 304 from the ETag set here without hashing the body again.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly currentVersion: () => string,
    private readonly maxEntries = 1000,
  ) {}

  get(key: string, build: () => unknown): Entry {
    const version = this.currentVersion();
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
