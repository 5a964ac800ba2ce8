import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
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

/** Sessions found recently, kept while the database has not changed (see dataVersion). */
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
  private readonly insert;
  private readonly find;
  private readonly touch;
  private readonly remove;
  private readonly setActive;
  private readonly purge;
  /**
   * How often a session in use has its use written. Whatever answers for a
   * session without asking the store (the answer cache) must ask again at
   * least this often, or the session it serves would expire while in use.
   */
  readonly refreshMs: number;

  constructor(
    db: Db,
    private readonly lifetimes: SessionLifetimes,
    /** The database's data version (db/data-version.ts): what cached sessions are checked against. */
    readonly currentVersion: () => string,
    /** The clock, ms since the epoch; tests move it forward rather than wait. */
    readonly now: () => number = Date.now,
  ) {
    // A short idle period (a strict deployment) must not be mostly refresh interval.
    this.refreshMs = Math.max(1, Math.min(REFRESH_MS, Math.floor(lifetimes.idleMs / 10)));
    this.insert = db.prepare(
      'INSERT INTO sessions (token_hash, user_id, active_organization_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.find = db.prepare<
      [string, string, string],
      {
        token_hash: string;
        id: string;
        email: string;
        name: string;
        active_organization_id: string | null;
        role: Role | null;
        created_at: string;
        expires_at: string;
      }
    >(
      // The active organisation counts only while the user is still a member of it; the role
      // comes with it, so requests learn it from the (cached) session, not from a query of their own.
      `SELECT s.token_hash, u.id, u.email, u.name, s.created_at, s.expires_at, m.organization_id AS active_organization_id, m.role
       FROM sessions s JOIN users u ON u.id = s.user_id
       LEFT JOIN memberships m ON m.user_id = u.id AND m.organization_id = s.active_organization_id
       WHERE s.token_hash = ? AND s.expires_at > ? AND s.created_at > ?`,
    );
    // Never moves an expiry back: another process may have written a later one.
    this.touch = db.prepare<{ expiresAt: string; tokenHash: string }>(
      'UPDATE sessions SET expires_at = @expiresAt WHERE token_hash = @tokenHash AND expires_at < @expiresAt',
    );
    this.remove = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
    this.setActive = db.prepare('UPDATE sessions SET active_organization_id = ? WHERE token_hash = ?');
    this.purge = db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR created_at <= ?');
  }

  /**
   * Starts a session and returns its token (the cookie's value; a new token
   * every time), when it expires unless used, and its absolute end.
   */
  create(
    userId: string,
    activeOrganizationId: string | null,
    now = new Date(this.now()),
  ): { token: string; expiresAt: Date; endsAt: Date } {
    const token = randomBytes(32).toString('base64url');
    const endsAt = new Date(now.getTime() + this.lifetimes.maxMs);
    const expiresAt = new Date(Math.min(now.getTime() + this.lifetimes.idleMs, endsAt.getTime()));
    this.purge.run(now.toISOString(), new Date(now.getTime() - this.lifetimes.maxMs).toISOString());
    this.insert.run(hashToken(token), userId, activeOrganizationId, now.toISOString(), expiresAt.toISOString());
    return { token, expiresAt, endsAt };
  }

  /**
   * The live session of a cookie token, counting this as a use of it.
   * `version` is the data version the request already read (one query per
   * request, shared with the picker cache).
   */
  get(token: string | undefined, now = new Date(this.now()), version = this.currentVersion()): Session | undefined {
    if (!token || token.length > 200) return undefined;
    const tokenHash = hashToken(token);
    const at = now.getTime();
    const hit = this.cache.get(tokenHash);
    if (hit?.version === version && hit.validUntilMs > at) return hit.session;
    this.cache.delete(tokenHash);
    const row = this.find.get(tokenHash, now.toISOString(), new Date(at - this.lifetimes.maxMs).toISOString());
    if (!row) return undefined;
    const endsAtMs = Date.parse(row.created_at) + this.lifetimes.maxMs;
    // An expiry written under a longer POS_SESSION_MAX_MS counts only up to the current one.
    const expiresAtMs = Math.min(Date.parse(row.expires_at), endsAtMs);
    const pushedTo = Math.min(at + this.lifetimes.idleMs, endsAtMs);
    const session: Session = {
      tokenHash: row.token_hash,
      user: { id: row.id, email: row.email, name: row.name },
      activeOrganizationId: row.active_organization_id,
      role: row.role,
      expiresAt: new Date(expiresAtMs).toISOString(),
    };
    if (pushedTo - expiresAtMs >= this.refreshMs) {
      const expiresAt = new Date(pushedTo).toISOString();
      try {
        this.touch.run({ expiresAt, tokenHash });
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

  end(session: Session): void {
    this.remove.run(session.tokenHash);
  }

  setActiveOrganization(session: Session, organizationId: string): void {
    this.setActive.run(organizationId, session.tokenHash);
  }
}
