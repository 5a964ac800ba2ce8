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
  expiresAt: string;
}

// Tokens are looked up by their SHA-256, never compared as strings: the lookup
// is an index probe on a hash, which tells an attacker nothing about the token.
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Sessions found recently, kept while the database has not changed (see dataVersion). */
const MAX_CACHED = 10_000;

/** Server-side sessions: created at sign-in, found by the cookie's token, ended at sign-out or expiry. */
export class SessionStore {
  /**
   * By token hash: the session and the data version it was read at. Any write
   * (a sign-out, an organisation switch, a role changed, another process's change) moves the
   * version, so a cached session is never staler than the database; expiry is
   * checked on every hit. Measured: the lookup was a third of a 304's cost.
   */
  private readonly cache = new Map<string, { session: Session; version: string; expiresAtMs: number }>();
  private readonly insert;
  private readonly find;
  private readonly remove;
  private readonly setActive;
  private readonly purge;

  constructor(
    db: Db,
    private readonly ttlMs: number,
    /** The database's data version (db/data-version.ts): what cached sessions are checked against. */
    readonly currentVersion: () => string,
  ) {
    this.insert = db.prepare(
      'INSERT INTO sessions (token_hash, user_id, active_organization_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.find = db.prepare<
      [string, string],
      { token_hash: string; id: string; email: string; name: string; active_organization_id: string | null; role: Role | null; expires_at: string }
    >(
      // The active organisation counts only while the user is still a member of it; the role
      // comes with it, so requests learn it from the (cached) session, not from a query of their own.
      `SELECT s.token_hash, u.id, u.email, u.name, s.expires_at, m.organization_id AS active_organization_id, m.role
       FROM sessions s JOIN users u ON u.id = s.user_id
       LEFT JOIN memberships m ON m.user_id = u.id AND m.organization_id = s.active_organization_id
       WHERE s.token_hash = ? AND s.expires_at > ?`,
    );
    this.remove = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
    this.setActive = db.prepare('UPDATE sessions SET active_organization_id = ? WHERE token_hash = ?');
    this.purge = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  }

  /** Starts a session and returns its token (the cookie's value). A new token every time. */
  create(userId: string, activeOrganizationId: string | null, now = new Date()): { token: string; expiresAt: Date } {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    this.purge.run(now.toISOString());
    this.insert.run(hashToken(token), userId, activeOrganizationId, now.toISOString(), expiresAt.toISOString());
    return { token, expiresAt };
  }

  /**
   * The live session of a cookie token. `version` is the data version the
   * request already read (one query per request, shared with the picker cache).
   */
  get(token: string | undefined, now = new Date(), version = this.currentVersion()): Session | undefined {
    if (!token || token.length > 200) return undefined;
    const tokenHash = hashToken(token);
    const hit = this.cache.get(tokenHash);
    if (hit?.version === version && hit.expiresAtMs > now.getTime()) return hit.session;
    const session = this.read(tokenHash, now);
    this.cache.delete(tokenHash);
    if (!session) return undefined;
    this.cache.set(tokenHash, { session, version, expiresAtMs: Date.parse(session.expiresAt) });
    // Maps iterate in insertion order: the first key is the least recently read.
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    return session;
  }

  private read(tokenHash: string, now: Date): Session | undefined {
    const row = this.find.get(tokenHash, now.toISOString());
    if (!row) return undefined;
    return {
      tokenHash: row.token_hash,
      user: { id: row.id, email: row.email, name: row.name },
      activeOrganizationId: row.active_organization_id,
      role: row.role,
      expiresAt: row.expires_at,
    };
  }

  end(session: Session): void {
    this.remove.run(session.tokenHash);
  }

  setActiveOrganization(session: Session, organizationId: string): void {
    this.setActive.run(organizationId, session.tokenHash);
  }
}
