import { createHash, randomBytes } from 'node:crypto';
import type { Storage } from '../storage/storage.js';
import type { Role } from './roles.js';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

export interface Session {
  tokenHash: string;
  user: SessionUser;
  activeOrganizationId: string | null;
  /** The user's role in the active organisation; null when there is none. */
  role: Role | null;
  /** When it ends unless used again: its last recorded use plus the idle period, at most its absolute end. */
  expiresAt: string;
}

/** How long sessions last (POS_SESSION_IDLE_MS, POS_SESSION_MAX_MS). */
export interface SessionLifetimes {
  /** A session unused this long has expired. */
  idleMs: number;
  /** A session has expired this long after sign-in, however much it was used. */
  maxMs: number;
}

/**
 * Use is recorded (the idle expiry pushed forward: one UPDATE) at most this
 * often per session, not on every request: every write moves the data version,
 * which empties the session cache and the answer cache for everyone. The
 * price is that a session may expire up to this much before "idle period after
 * its last use".
 */
const REFRESH_MS = 60_000;

// Tokens are looked up by their SHA-256, never compared as strings: the lookup
// is an index probe on a hash, which tells an attacker nothing about the token.
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Sessions found recently, kept while the database has not changed (storage.changes.version). */
const MAX_CACHED = 10_000;

/**
 * Server-side sessions: created at sign-in, found by the cookie's token, ended
 * at sign-out, after the idle period without use or at the absolute maximum.
 * The idle expiry lives in `expires_at` itself (moved forward as the session
 * is used) rather than in a last-use column: no migration, and the purge and
 * the lookup stay one comparison. The absolute end is `created_at` + max,
 * checked on every read, so lowering POS_SESSION_MAX_MS shortens every session.
 */
export class SessionStore {
  /**
   * By token hash: the session and the data version it was read at. Any write
   * (a sign-out, an organisation switch, a role changed, another process's change) moves the
   * version, so a cached session is never staler than the database; expiry,
   * and whether this use is due to be written, are checked on every hit.
   * Measured: the lookup was a third of a 304's cost.
   */
  private readonly cache = new Map<string, { session: Session; version: string; validUntilMs: number }>();
  /**
   * How often a session in use has its use written. Whatever answers for a
   * session without asking the store (the answer cache) must ask again at
   * least this often, or the session it serves would expire while in use.
   */
  readonly refreshMs: number;

  constructor(
    private readonly storage: Storage,
    private readonly lifetimes: SessionLifetimes,
    /** The clock, ms since the epoch; tests move it forward rather than wait. */
    readonly now: () => number = Date.now,
  ) {
    // A short idle period (a strict deployment) must not be mostly refresh interval.
    this.refreshMs = Math.max(1, Math.min(REFRESH_MS, Math.floor(lifetimes.idleMs / 10)));
  }

  /** The storage's data version (storage.changes.version): what cached sessions are checked against. */
  currentVersion(): Promise<string> {
    return this.storage.changes.version();
  }

  /**
   * Starts a session and returns its token (the cookie's value; a new token
   * every time), when it expires unless used, and its absolute end.
   */
  async create(
    userId: string,
    activeOrganizationId: string | null,
    now = new Date(this.now()),
  ): Promise<{ token: string; expiresAt: Date; endsAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const endsAt = new Date(now.getTime() + this.lifetimes.maxMs);
    const expiresAt = new Date(Math.min(now.getTime() + this.lifetimes.idleMs, endsAt.getTime()));
    await this.storage.sessions.create(
      { tokenHash: hashToken(token), userId, activeOrganizationId, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString() },
      { now: now.toISOString(), createdBefore: new Date(now.getTime() - this.lifetimes.maxMs).toISOString() },
    );
    return { token, expiresAt, endsAt };
  }

  /**
   * The live session of a cookie token, counting this as a use of it.
   * `version` is the data version the request already read (one query per
   * request, shared with the picker cache).
   */
  async get(token: string | undefined, now = new Date(this.now()), version?: string): Promise<Session | undefined> {
    if (!token || token.length > 200) return undefined;
    const tokenHash = hashToken(token);
    const at = now.getTime();
    version ??= await this.currentVersion();
    const hit = this.cache.get(tokenHash);
    if (hit?.version === version && hit.validUntilMs > at) return hit.session;
    this.cache.delete(tokenHash);
    // The active organisation counts only while the user is still a member of it; the role
    // comes with it, so requests learn it from the (cached) session, not from a query of their own.
    const row = await this.storage.sessions.find(tokenHash, now.toISOString(), new Date(at - this.lifetimes.maxMs).toISOString());
    if (!row) return undefined;
    const endsAtMs = Date.parse(row.createdAt) + this.lifetimes.maxMs;
    // An expiry written under a longer POS_SESSION_MAX_MS counts only up to the current one.
    const expiresAtMs = Math.min(Date.parse(row.expiresAt), endsAtMs);
    const pushedTo = Math.min(at + this.lifetimes.idleMs, endsAtMs);
    const session: Session = {
      tokenHash: row.tokenHash,
      user: row.user,
      activeOrganizationId: row.activeOrganizationId,
      role: row.role,
      expiresAt: new Date(expiresAtMs).toISOString(),
    };
    if (pushedTo - expiresAtMs >= this.refreshMs) {
      const expiresAt = new Date(pushedTo).toISOString();
      try {
        // Never moves an expiry back: another instance may have written a later one.
        await this.storage.sessions.touch(tokenHash, expiresAt);
      } catch {
        // A read-only or full database keeps serving reads: the session stays valid
        // until its recorded expiry, and the next request tries the write again.
        return session;
      }
      // Not cached: the write moved the data version, so the entry would never be hit.
      return { ...session, expiresAt };
    }
    // A hit past the moment its next use is due to be written would keep the session from being refreshed.
    const refreshDueMs = expiresAtMs + this.refreshMs <= endsAtMs ? expiresAtMs + this.refreshMs - this.lifetimes.idleMs : Infinity;
    this.cache.set(tokenHash, { session, version, validUntilMs: Math.min(expiresAtMs, refreshDueMs) });
    // Maps iterate in insertion order: the first key is the least recently read.
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    return session;
  }

  async end(session: Session): Promise<void> {
    await this.storage.sessions.remove(session.tokenHash);
  }

  /**
   * Makes the organisation the session's active one and the user's choice for
   * the next sign-in; false (nothing written) unless the user is a member of it.
   */
  setActiveOrganization(session: Session, organizationId: string): Promise<boolean> {
    return this.storage.sessions.switchOrganization(session.tokenHash, session.user.id, organizationId);
  }
}
