/**
 * The roles a membership can have. The names are PartnerOS's (its members and
 * permissions page: Owner, Admin, Member, Viewer, and Partner for partner-portal
 * users); the database's CHECK constraint (schema migration 3) lists the same.
 */
export const ROLES = ['owner', 'admin', 'member', 'viewer', 'partner'] as const;
export type Role = (typeof ROLES)[number];

/** A membership written without a role (a fixture's plain `organizationIds`, migrated rows). */
export const DEFAULT_ROLE: Role = 'member';

/**
 * PartnerOS documents that the partner role "cannot access internal management
 * endpoints". Which routes count as internal is this reference server's choice:
 * every data route (workflow pickers, lessons, exports, the demo controls);
 * `/api/auth/*` stays open to every role.
 */
export const mayUseInternalEndpoints = (role: Role): boolean => role !== 'partner';
