import { z } from 'zod';
import { ROLES } from '../auth/roles.js';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lowercase UUID');
const timestamp = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time')
  .transform((s) => new Date(s).toISOString());
const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

const organization = z.strictObject({ id: uuid, name: text(200).min(1, 'must not be empty') });
const user = z.strictObject({
  id: uuid,
  email: z.email('must be an email address').max(320),
  password: z.string().min(8, 'must be at least 8 characters').max(200),
  name: text(200).min(1, 'must not be empty'),
  organizationIds: z.array(uuid),
  // The role in each of organizationIds (keys are checked against them below); an organisation not
  // named here gives DEFAULT_ROLE ('member'), so fixtures written before roles load unchanged.
  roles: z.record(z.string(), z.enum(ROLES, `must be one of ${ROLES.join(', ')}`)).optional(),
  activeOrganizationId: uuid.nullable(),
});
const partnerStage = z.strictObject({
  id: uuid,
  organizationId: uuid,
  name: text(200).min(1, 'must not be empty'),
  position: z.number().int('must be a whole number'),
});
const specialization = z.strictObject({
  id: uuid,
  organizationId: uuid,
  title: text(500).min(1, 'must not be empty'),
  description: text(10_000),
  isPublished: z.boolean(),
  createdAt: timestamp.optional(),
  updatedAt: timestamp.optional(),
});
const training = z.strictObject({
  id: uuid,
  organizationId: uuid,
  title: text(500).min(1, 'must not be empty'),
  description: text(10_000),
  tags: z.array(text(100)).max(100),
  specializationId: uuid.nullable(),
  durationMinutes: z.number().int().nonnegative().nullable(),
  isPublished: z.boolean(),
  createdAt: timestamp.optional(),
  updatedAt: timestamp.optional(),
});
const lesson = z.strictObject({
  id: uuid,
  organizationId: uuid,
  title: text(500).min(1, 'must not be empty'),
  sections: z.array(z.strictObject({ heading: text(500), body: text(20_000) })).max(200),
  updatedAt: timestamp,
});
const exportJob = z.strictObject({
  id: uuid,
  organizationId: uuid,
  lessonId: uuid,
  cacheKey: text(200).nullable(),
  status: z.enum(['pending', 'completed', 'failed']),
  costCents: z.number().int().nonnegative().optional(),
  model: text(200).optional(),
  error: text(2000).optional(),
  createdAt: timestamp,
  completedAt: timestamp.optional(),
});

export const fixtureSchema = z.strictObject({
  organizations: z.array(organization),
  users: z.array(user).default([]),
  specializations: z.array(specialization).default([]),
  trainings: z.array(training).default([]),
  lessons: z.array(lesson).default([]),
  exports: z.array(exportJob).default([]),
  partnerStages: z.array(partnerStage).default([]),
});

/** The fixture format as written in JSON (see the README's "Fixture" section). */
export type FixtureInput = z.input<typeof fixtureSchema>;
export type Fixture = z.output<typeof fixtureSchema>;

/** A fixture that breaks a rule: the message names the record and the field. */
export class FixtureError extends Error {
  override name = 'FixtureError';
}

function where(fixture: unknown, path: PropertyKey[]): string {
  let label = '';
  let node: unknown = fixture;
  for (const key of path) {
    label += typeof key === 'number' ? `[${key}]` : label ? `.${String(key)}` : String(key);
    node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key as string] : undefined;
    // Name the record by its id as well, so a reader can find it in a large file.
    if (typeof key === 'number' && node && typeof node === 'object' && typeof (node as { id?: unknown }).id === 'string') {
      label += ` (id ${(node as { id: string }).id})`;
    }
  }
  return label || 'fixture';
}

/** Validates shape, then every cross-record rule (references, scoping, unique ids). */
export function parseFixture(raw: unknown): Fixture {
  const parsed = fixtureSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FixtureError(`${where(raw, issue.path)}: ${issue.message}`);
  }
  const fixture = parsed.data;
  const fail = (path: PropertyKey[], message: string): never => {
    throw new FixtureError(`${where(raw, path)}: ${message}`);
  };

  const ids = new Set<string>();
  for (const kind of ['organizations', 'users', 'specializations', 'trainings', 'lessons', 'exports', 'partnerStages'] as const) {
    fixture[kind].forEach((record, i) => {
      if (ids.has(record.id)) fail([kind, i, 'id'], `duplicate id ${record.id}`);
      ids.add(record.id);
    });
  }
  const orgs = new Set(fixture.organizations.map((o) => o.id));
  const orgOf = (kind: 'specializations' | 'lessons') => new Map(fixture[kind].map((r) => [r.id, r.organizationId]));
  const specializationOrg = orgOf('specializations');
  const lessonOrg = orgOf('lessons');
  const emails = new Set<string>();

  fixture.users.forEach((u, i) => {
    const email = u.email.toLowerCase();
    if (emails.has(email)) fail(['users', i, 'email'], `duplicate email ${u.email}`);
    emails.add(email);
    u.organizationIds.forEach((org, j) => orgs.has(org) || fail(['users', i, 'organizationIds', j], `unknown organization ${org}`));
    if (u.activeOrganizationId && !u.organizationIds.includes(u.activeOrganizationId)) {
      fail(['users', i, 'activeOrganizationId'], 'must be one of the user’s organizationIds');
    }
    for (const org of Object.keys(u.roles ?? {})) {
      if (!u.organizationIds.includes(org)) fail(['users', i, 'roles', org], 'must be one of the user’s organizationIds');
    }
  });
  for (const kind of ['specializations', 'trainings', 'lessons', 'exports', 'partnerStages'] as const) {
    fixture[kind].forEach(
      (r, i) => orgs.has(r.organizationId) || fail([kind, i, 'organizationId'], `unknown organization ${r.organizationId}`),
    );
  }
  fixture.trainings.forEach((t, i) => {
    if (t.specializationId === null) return;
    const org = specializationOrg.get(t.specializationId);
    if (!org) fail(['trainings', i, 'specializationId'], `unknown specialization ${t.specializationId}`);
    if (org !== t.organizationId) fail(['trainings', i, 'specializationId'], 'belongs to another organization');
  });
  fixture.exports.forEach((e, i) => {
    const org = lessonOrg.get(e.lessonId);
    if (!org) fail(['exports', i, 'lessonId'], `unknown lesson ${e.lessonId}`);
    if (org !== e.organizationId) fail(['exports', i, 'lessonId'], 'belongs to another organization');
    if (e.status === 'failed' && !e.error) fail(['exports', i, 'error'], 'is required when status is "failed"');
  });
  const stageNames = new Set<string>();
  fixture.partnerStages.forEach((s, i) => {
    const key = `${s.organizationId}\n${s.name}`;
    if (stageNames.has(key)) fail(['partnerStages', i, 'name'], `duplicate name ${JSON.stringify(s.name)} in its organization`);
    stageNames.add(key);
  });
  return fixture;
}
