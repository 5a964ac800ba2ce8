import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

export interface Session {
  tokenHash: string;
  user: SessionUser;
  activeOrganizationId: string | null;
  expiresAt: string;
}

// Tokens are looked up by their SHA-256, never compared as strings: the lookup
// is an index probe on a hash, which tells an attacker nothing about the token.
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Server-side sessions: created at sign-in, found by the cookie's token, ended at sign-out or expiry. */
export class SessionStore {
  private readonly insert;
  private readonly find;
  private readonly remove;
  private readonly setActive;
  private readonly purge;

  constructor(
    db: Db,
    private readonly ttlMs: number,
  ) {
    this.insert = db.prepare(
      'INSERT INTO sessions (token_hash, user_id, active_organization_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.find = db.prepare<[string, string], { token_hash: string; id: string; email: string; name: string; active_organization_id: string | null; expires_at: string }>(
      // The active organisation counts only while the user is still a member of it.
      `SELECT s.token_hash, u.id, u.email, u.name, s.expires_at,
         (SELECT m.organization_id FROM memberships m
          WHERE m.user_id = u.id AND m.organization_id = s.active_organization_id) AS active_organization_id
       FROM sessions s JOIN users u ON u.id = s.user_id
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

  get(token: string | undefined, now = new Date()): Session | undefined {
    if (!token || token.length > 200) return undefined;
    const row = this.find.get(hashToken(token), now.toISOString());
    if (!row) return undefined;
    return {
      tokenHash: row.token_hash,
      user: { id: row.id, email: row.email, name: row.name },
      activeOrganizationId: row.active_organization_id,
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
