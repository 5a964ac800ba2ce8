import { createHash } from 'node:crypto';
import type { Role } from '../auth/roles.js';
import type { FixtureInput } from './fixture.js';

/** A stable UUID (version-5 layout) from a name, so demo ids survive a re-seed. */
export function stableUuid(name: string): string {
  const h = createHash('sha1').update(`partneros-demo:${name}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const ORGS = { acme: 'Acme Cloud', globex: 'Globex Systems' } as const;
type OrgKey = keyof typeof ORGS;

/** Sign-in details printed at start and listed in the README; `roles` gives the role in each of `orgs`. */
export const DEMO_PASSWORD = 'partneros-demo';
export const DEMO_USERS: readonly {
  email: string;
  name: string;
  orgs: readonly OrgKey[];
  roles: Readonly<Partial<Record<OrgKey, Role>>>;
  active: OrgKey;
}[] = [
  { email: 'ada@acme.example', name: 'Ada Lovelace', orgs: ['acme'], roles: { acme: 'owner' }, active: 'acme' },
  { email: 'grace@globex.example', name: 'Grace Hopper', orgs: ['globex'], roles: { globex: 'owner' }, active: 'globex' },
  {
    email: 'sam@partners.example',
    name: 'Sam Rivera',
    orgs: ['acme', 'globex'],
    roles: { acme: 'admin', globex: 'member' },
    active: 'acme',
  },
  // A partner-portal user: every data route answers 403 forbidden (only /api/auth/* is open to the partner role).
  { email: 'pat@partner.example', name: 'Pat Morgan', orgs: ['acme'], roles: { acme: 'partner' }, active: 'acme' },
];

/** Each organisation's partner lifecycle stages, in order. */
const PARTNER_STAGES: Record<OrgKey, string[]> = {
  acme: ['Prospect', 'Onboarding', 'Active', 'At risk', 'Churned'],
  globex: ['Applied', 'Approved', 'Certified', 'Preferred', 'Inactive'],
};

// [title, description, published]
const SPECIALIZATIONS: Record<OrgKey, [string, string, boolean][]> = {
  acme: [
    ['Cloud Migration', 'Move workloads from on-premises data centres to Acme Cloud with minimal downtime.', true],
    ['Data & Analytics', 'Design warehouses, pipelines and dashboards on the Acme data platform.', true],
    ['Security & Compliance', 'Harden tenants, manage identities and pass SOC 2 and ISO 27001 audits.', true],
    ['AI Solutions', 'Build assistants and document automation with Acme’s model APIs.', true],
    ['Managed Services', 'Run customer environments around the clock with Acme’s operations tooling.', true],
    ['Industry: Healthcare', 'Deliver HIPAA-ready solutions for providers and payers.', true],
    ['Industry: Financial Services', 'Meet the controls banks and insurers expect.', true],
    ['edge computing', 'Deploy to Acme Edge locations close to the customer (lower-case title on purpose: sorting ignores case).', true],
    ['Networking', 'Private links, global load balancing and zero-trust access.', true],
    ['DevOps Excellence', 'Pipelines, infrastructure as code and release engineering.', true],
    ['Sustainability', 'Draft: carbon-aware architecture (not yet published).', false],
    ['Quantum Readiness', 'Draft: preparing customers for post-quantum cryptography.', false],
  ],
  globex: [
    ['Retail Integrations', 'Connect point-of-sale, e-commerce and loyalty systems to Globex.', true],
    ['Field Service', 'Schedule technicians and track assets with Globex Field.', true],
    ['Customer Success', 'Onboard, adopt and renew: the Globex success playbook.', true],
    ['Implementation Partner', 'Certified delivery of Globex ERP projects.', true],
    ['Draft Track', 'A specialization still being written.', false],
  ],
};

// [title, description, tags, specialization title | null, minutes, published]
type TrainingRow = [string, string, string[], string | null, number | null, boolean];
const TRAININGS: Record<OrgKey, TrainingRow[]> = {
  acme: [
    ['Partner Onboarding Essentials', 'Everything a new partner needs in the first 30 days.', ['onboarding', 'sales'], null, 45, true],
    [
      'Acme Cloud Fundamentals',
      'Core services, regions, pricing and the shared-responsibility model.',
      ['technical', 'onboarding'],
      'Cloud Migration',
      90,
      true,
    ],
    [
      'Migration Assessment Workshop',
      'Run a discovery workshop and produce a migration plan.',
      ['technical', 'presales'],
      'Cloud Migration',
      120,
      true,
    ],
    ['Lift-and-Shift Playbook', 'Rehost virtual machines with the Acme Migrate service.', ['technical'], 'Cloud Migration', 60, true],
    [
      'Selling Data Platforms',
      'Qualify analytics opportunities and build the business case.',
      ['sales', 'presales'],
      'Data & Analytics',
      40,
      true,
    ],
    [
      'Building Pipelines with Acme Flow',
      'Batch and streaming pipelines, hands-on.',
      ['technical', 'hands-on'],
      'Data & Analytics',
      150,
      true,
    ],
    [
      'Dashboards that Drive Decisions',
      'Design dashboards executives actually use.',
      ['design', 'analytics'],
      'Data & Analytics',
      50,
      true,
    ],
    [
      'Identity & Access Management',
      'Roles, policies, SSO and least privilege.',
      ['security', 'technical'],
      'Security & Compliance',
      75,
      true,
    ],
    [
      'SOC 2 Readiness for Partners',
      'Evidence collection and control mapping.',
      ['security', 'compliance'],
      'Security & Compliance',
      60,
      true,
    ],
    ['Incident Response Drills', 'Table-top exercises for cloud incidents.', ['security', 'hands-on'], 'Security & Compliance', 90, true],
    ['Prompt Engineering Basics', 'Write reliable prompts for Acme’s assistant APIs.', ['ai', 'technical'], 'AI Solutions', 35, true],
    ['Document Automation with AI', 'Extract, classify and route documents.', ['ai', 'hands-on'], 'AI Solutions', 80, true],
    ['Responsible AI', 'Evaluation, safety and governance for customer deployments.', ['ai', 'compliance'], 'AI Solutions', 30, true],
    ['24/7 Operations Runbooks', 'On-call, escalation and SLAs for managed services.', ['operations'], 'Managed Services', 55, true],
    ['Cost Optimisation Reviews', 'Find and remove waste in customer tenants.', ['operations', 'finance'], 'Managed Services', 45, true],
    [
      'HIPAA on Acme Cloud',
      'Architecture patterns for protected health information.',
      ['compliance', 'healthcare'],
      'Industry: Healthcare',
      70,
      true,
    ],
    [
      'Banking Controls Primer',
      'What regulators ask and how Acme answers.',
      ['compliance', 'finance'],
      'Industry: Financial Services',
      65,
      true,
    ],
    ['edge deployments 101', 'Ship containers to Acme Edge.', ['technical', 'edge'], 'edge computing', 40, true],
    ['Zero-Trust Networking', 'Private access without VPNs.', ['security', 'networking'], 'Networking', 60, true],
    [
      'Infrastructure as Code',
      'Terraform and the Acme provider, from module to pipeline.',
      ['technical', 'devops'],
      'DevOps Excellence',
      100,
      true,
    ],
    ['Deal Registration Best Practices', 'Register early, protect margin, avoid conflicts.', ['sales'], null, 20, true],
    ['Co-Selling with Acme', 'Work joint opportunities with Acme account teams.', ['sales', 'marketing'], null, 30, true],
    ['Using MDF Effectively', 'Plan, request and prove market development funds.', ['marketing', 'finance'], null, 25, true],
    ['Certification Exam Prep', 'Practice questions and exam strategy.', ['certification'], null, 180, true],
    ['Quarterly Product Update', 'What shipped this quarter, in 15 minutes.', ['  product  ', 'sales', ''], null, 15, true],
    ['Advanced Kubernetes', 'Draft: cluster operations at scale.', ['technical', 'draft-only'], 'DevOps Excellence', 200, false],
    ['Green Cloud Design', 'Draft: carbon-aware architecture.', ['sustainability'], null, null, false],
  ],
  globex: [
    ['Globex Partner Welcome', 'Your first week as a Globex partner.', ['onboarding'], null, 30, true],
    ['POS Integration Lab', 'Connect a point-of-sale system in a sandbox.', ['technical', 'retail'], 'Retail Integrations', 120, true],
    ['Field Service Scheduling', 'Dispatch and routing with Globex Field.', ['field', 'technical'], 'Field Service', 60, true],
    ['Renewal Conversations', 'Lead renewals with value, not discounts.', ['sales', 'success'], 'Customer Success', 30, true],
    ['ERP Implementation Method', 'The Globex delivery method, phase by phase.', ['delivery'], 'Implementation Partner', 240, true],
    ['Draft: Globex AI', 'Not yet published.', ['ai'], null, null, false],
  ],
};

const LESSONS: Record<OrgKey, { title: string; sections: [string, string][] }[]> = {
  acme: [
    {
      title: 'Welcome to the Acme Partner Program',
      sections: [
        [
          'Why partner with Acme',
          'Acme partners grow 40% faster than the market. This lesson shows how the programme works and what you get from day one.',
        ],
        [
          'Tiers and benefits',
          'Registered, Advanced and Premier tiers unlock margin, market development funds and a dedicated partner manager.',
        ],
        ['Your first 30 days', 'Complete onboarding, register your first deal and book your certification exam.'],
      ],
    },
    {
      title: 'Running a Migration Assessment',
      sections: [
        ['Discovery', 'Inventory applications, dependencies and data gravity before proposing any move.'],
        ['The 6 Rs', 'Rehost, replatform, repurchase, refactor, retire or retain: choose per workload.'],
        ['Business case', 'Compare total cost of ownership over three years, including the cost of doing nothing.'],
        ['Next steps', 'Agree a pilot workload and success criteria with the customer.'],
      ],
    },
    {
      title: 'Security Fundamentals for Partners',
      sections: [
        ['Shared responsibility', 'Acme secures the cloud; you and your customer secure what runs in it.'],
        ['Identity first', 'Single sign-on, multi-factor authentication and least privilege prevent most incidents.'],
      ],
    },
  ],
  globex: [
    {
      title: 'Globex Retail Playbook',
      sections: [
        ['The retail customer', 'Store managers care about queues, stock and staff rotas.'],
        ['Integration patterns', 'Event-driven sync between POS, inventory and loyalty.'],
      ],
    },
  ],
};

/** The rich demo data `npm start` seeds a new database with, as a fixture. */
export function demoFixture(now = new Date()): FixtureInput {
  const day = 24 * 60 * 60 * 1000;
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * day).toISOString();
  const orgId = (org: OrgKey) => stableUuid(`org:${org}`);
  const fixture: Required<FixtureInput> = {
    organizations: (Object.keys(ORGS) as OrgKey[]).map((org) => ({ id: orgId(org), name: ORGS[org] })),
    users: DEMO_USERS.map((u) => ({
      id: stableUuid(`user:${u.email}`),
      email: u.email,
      password: DEMO_PASSWORD,
      name: u.name,
      organizationIds: u.orgs.map(orgId),
      roles: Object.fromEntries(u.orgs.map((org) => [orgId(org), u.roles[org] ?? 'member'])),
      activeOrganizationId: orgId(u.active),
    })),
    specializations: [],
    trainings: [],
    lessons: [],
    exports: [],
    partnerStages: [],
  };
  for (const org of Object.keys(ORGS) as OrgKey[]) {
    SPECIALIZATIONS[org].forEach(([title, description, isPublished], i) => {
      fixture.specializations.push({
        id: stableUuid(`specialization:${org}:${title}`),
        organizationId: orgId(org),
        title,
        description,
        isPublished,
        createdAt: at(120 - i),
        updatedAt: at(30 - i),
      });
    });
    TRAININGS[org].forEach(([title, description, tags, specialization, durationMinutes, isPublished], i) => {
      fixture.trainings.push({
        id: stableUuid(`training:${org}:${title}`),
        organizationId: orgId(org),
        title,
        description,
        tags,
        specializationId: specialization ? stableUuid(`specialization:${org}:${specialization}`) : null,
        durationMinutes,
        isPublished,
        createdAt: at(90 - i),
        updatedAt: at(20 - (i % 20)),
      });
    });
    LESSONS[org].forEach(({ title, sections }, i) => {
      fixture.lessons.push({
        id: stableUuid(`lesson:${org}:${title}`),
        organizationId: orgId(org),
        title,
        sections: sections.map(([heading, body]) => ({ heading, body })),
        updatedAt: at(10 + i),
      });
    });
    PARTNER_STAGES[org].forEach((name, i) => {
      fixture.partnerStages.push({ id: stableUuid(`partner-stage:${org}:${name}`), organizationId: orgId(org), name, position: i + 1 });
    });
  }
  return fixture;
}
