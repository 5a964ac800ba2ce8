import { stableUuid } from '../../server/db/demo-data.js';
import type { FixtureInput } from '../../server/db/fixture.js';

export const BENCH_PASSWORD = 'bench-password';
export const BENCH_USER = 'bench@a.example';

const TAGS = ['onboarding', 'sales', 'technical', 'security', 'ai', 'compliance', 'marketing', 'finance', 'operations', 'hands-on'];

/**
 * A large organisation (A) beside another of the same size (B): `published`
 * published trainings and as many drafts each, plus specializations and lessons.
 */
export function benchFixture(published = 2000, lessons = 10): FixtureInput {
  const org = (k: string) => stableUuid(`bench:org:${k}`);
  const f: Required<FixtureInput> = {
    organizations: [
      { id: org('a'), name: 'Bench A' },
      { id: org('b'), name: 'Bench B' },
    ],
    users: [
      {
        id: stableUuid('bench:user'),
        email: BENCH_USER,
        password: BENCH_PASSWORD,
        name: 'Bench',
        organizationIds: [org('a')],
        activeOrganizationId: org('a'),
      },
    ],
    specializations: [],
    trainings: [],
    lessons: [],
    exports: [],
    partnerStages: [],
  };
  for (const k of ['a', 'b']) {
    for (let i = 0; i < 100; i++) {
      f.specializations.push({
        id: stableUuid(`bench:spec:${k}:${i}`),
        organizationId: org(k),
        title: `Specialization ${k}${String(i).padStart(3, '0')}`,
        description: `Competency track number ${i} for partners who build on the platform.`,
        isPublished: i % 4 !== 0,
        createdAt: '2026-01-01T00:00:00Z',
        updatedAt: '2026-01-02T00:00:00Z',
      });
    }
    for (let i = 0; i < published * 2; i++) {
      f.trainings.push({
        id: stableUuid(`bench:training:${k}:${i}`),
        organizationId: org(k),
        title: `${['Intro to', 'Advanced', 'Selling', 'Deploying', 'Securing'][i % 5]} module ${i}`,
        description: `A training module about topic ${i % 97}, with exercises and a short quiz at the end.`,
        tags: [TAGS[i % TAGS.length]!, TAGS[(i * 7) % TAGS.length]!, `topic-${i % 40}`],
        specializationId: stableUuid(`bench:spec:${k}:${(i % 25) * 4 + 1}`),
        durationMinutes: 15 + (i % 8) * 15,
        isPublished: i % 2 === 0,
        createdAt: '2026-01-01T00:00:00Z',
        updatedAt: '2026-01-02T00:00:00Z',
      });
    }
    for (let i = 0; i < lessons; i++) {
      f.lessons.push({
        id: stableUuid(`bench:lesson:${k}:${i}`),
        organizationId: org(k),
        title: `Bench lesson ${i}`,
        updatedAt: '2026-01-01T00:00:00Z',
        sections: [
          { heading: 'One', body: 'First section.' },
          { heading: 'Two', body: 'Second section.' },
        ],
      });
    }
  }
  return f;
}

export const benchLessonId = (i: number) => stableUuid(`bench:lesson:a:${i}`);
