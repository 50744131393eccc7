// Seed data. `demo` follows the team's demo agreement exactly (tenant names, job titles and the
// candidates who already exist), because the sample exports are built from the same table.
import { IdSource, seededApiKey, seededRandom, uuidFromName } from './ids.js';
import type { StageType, StoredCandidate, StoredJob, StoredPlan, Tenant } from './model.js';
import { SeedBuilder } from './seed-builder.js';

export type StartSeed = 'demo' | 'empty';
export type TenantSeed = 'empty' | 'demo-like' | 'large';

export interface SeededTenant {
  tenant: Tenant;
  /** A key with every module permission, or null to let the caller generate a random key. */
  apiKey: string | null;
  /** Whether the key may see confidential jobs. */
  confidentialAccess: boolean;
}

/** Stages every standard plan has: the three Lead stages Ashby does not let a plan remove, then Active, Offer and Completed. */
export const STANDARD_STAGES: readonly (readonly [string, StageType])[] = [
  ['New Lead', 'Lead'],
  ['Reached Out', 'Lead'],
  ['Replied', 'Lead'],
  ['Application Review', 'PreInterviewScreen'],
  ['Phone Screen', 'Active'],
  ['Onsite', 'Active'],
  ['Offer', 'Offer'],
  ['Hired', 'Hired'],
  ['Archived', 'Archived'],
];

/** A plan with other Active stages in another order, so stage mappings must be kept per plan. */
export const ALTERNATE_STAGES: readonly (readonly [string, StageType])[] = [
  ['New Lead', 'Lead'],
  ['Reached Out', 'Lead'],
  ['Replied', 'Lead'],
  ['Application Review', 'PreInterviewScreen'],
  ['Hiring Manager Interview', 'Active'],
  ['Phone Screen', 'Active'],
  ['Offer', 'Offer'],
  ['Hired', 'Hired'],
  ['Archived', 'Archived'],
];

function addMetadata(builder: SeedBuilder, domain: string): string {
  const admin = builder.addUser('Morgan', 'Avery', `morgan.avery@${domain}`, 'Organization Admin');
  builder.addUser('Riley', 'Chen', `riley.chen@${domain}`, 'Elevated Access');
  builder.addUser('Sam', 'Okafor', `sam.okafor@${domain}`, 'Limited Access');

  builder.addSource('Jack & Jill', 'Sourced');
  builder.addSource('LinkedIn', 'Inbound');
  builder.addSource('Referral', 'Referral');
  builder.addSource('Applied', 'Inbound');
  builder.addSource('Career Fair 2023', 'Sourced', true);

  builder.addArchiveReason('Not a fit', 'RejectedByOrg');
  builder.addArchiveReason('Withdrew', 'RejectedByCandidate');
  builder.addArchiveReason('Hired elsewhere', 'RejectedByCandidate');
  builder.addArchiveReason('Position closed (legacy)', 'Other', true);
  return admin.id;
}

function planFor(builder: SeedBuilder, jobTitle: string, stages = STANDARD_STAGES): StoredPlan {
  return builder.addPlan(`${jobTitle} Interview Plan`, stages);
}

const FIRST_NAMES = [
  'Astrid', 'Bartholomew', 'Cosima', 'Dorian', 'Elodie', 'Florian', 'Greta', 'Hamish', 'Ingrid', 'Jasper',
  'Katarina', 'Leopold', 'Marisol', 'Niamh', 'Octavia', 'Percival', 'Quentin', 'Rosalind', 'Sebastiano', 'Thaddeus',
  'Ulrika', 'Valentin', 'Wilhelmina', 'Xander', 'Yevgenia', 'Zebulon', 'Anouk', 'Bastian', 'Clementine', 'Desmond',
];
const LAST_NAMES = [
  'Abernathy', 'Blackwood', 'Castellano', 'Delacroix', 'Eriksdottir', 'Fairweather', 'Grimaldi', 'Hargreaves',
  'Ishikawa', 'Jovanovic', 'Kowalczyk', 'Lindqvist', 'Montgomery', 'Nakashima', 'Oyelaran', 'Pemberton',
  'Quartermaine', 'Rasmussen', 'Szymanski', 'Thorvaldsen', 'Underhill', 'Vasquez-Reyes', 'Whitlock', 'Yamamura',
];
const DOMAINS = ['example.com', 'example.org', 'example.net'];

/** Adds `count` filler candidates with a mix of emails, LinkedIn-only profiles and applications. */
function addFillerCandidates(builder: SeedBuilder, count: number, openJobs: StoredJob[], offset: number): void {
  const random = seededRandom(offset + 7);
  const sources = [...builder.tenant.sources.values()].filter((source) => !source.isArchived);
  const stageTitles = ['New Lead', 'Reached Out', 'Replied', 'Application Review', 'Phone Screen', 'Offer', 'Archived', 'Hired'];
  const reasons = ['Not a fit', 'Withdrew', 'Hired elsewhere'];
  for (let i = 0; i < count; i++) {
    const first = FIRST_NAMES[(i + offset) % FIRST_NAMES.length]!;
    const last = LAST_NAMES[(i * 7 + offset) % LAST_NAMES.length]!;
    const slug = `${first}.${last}`.toLowerCase();
    const linkedInOnly = i % 5 === 3;
    const candidate = builder.addCandidate({
      name: `${first} ${last}`,
      ...(linkedInOnly ? {} : { email: `${slug}@${DOMAINS[i % DOMAINS.length]}` }),
      ...(i % 3 === 0 || linkedInOnly ? { linkedInUrl: `https://linkedin.com/in/${slug.replace('.', '-')}-fake` } : {}),
      ...(i % 4 === 0 ? { phone: `+1555010${String(1000 + i).slice(-4)}` } : {}),
      sourceId: sources[i % sources.length]!.id,
      createdDaysAgo: 5 + Math.floor(random() * 80),
    });
    if (openJobs.length === 0 || i % 2 === 1) continue;
    const job = openJobs[Math.floor(random() * openJobs.length)]!;
    const stage = stageTitles[Math.floor(random() * stageTitles.length)]!;
    builder.addApplication(candidate, job, stage, {
      sourceId: sources[(i + 1) % sources.length]!.id,
      ...(stage === 'Archived' ? { archiveReasonId: builder.archiveReasonIdByText(reasons[i % reasons.length]!) } : {}),
      createdDaysAgo: 3 + Math.floor(random() * 40),
    });
  }
}

function existing(builder: SeedBuilder, options: Parameters<SeedBuilder['addCandidate']>[0]): StoredCandidate {
  return builder.addCandidate({ createdDaysAgo: 45, ...options });
}

function northwind(nowMs: number): SeededTenant {
  const builder = new SeedBuilder('Northwind Robotics', new IdSource('demo/Northwind Robotics'), nowMs);
  const authorId = addMetadata(builder, 'northwind.example.com');
  const backend = builder.addJob({ title: 'Senior Backend Engineer', status: 'Open', plan: planFor(builder, 'Senior Backend Engineer'), authorId });
  const designer = builder.addJob({ title: 'Product Designer', status: 'Open', plan: planFor(builder, 'Product Designer'), authorId });
  builder.addJob({ title: 'Data Scientist', status: 'Closed', plan: planFor(builder, 'Data Scientist'), authorId, createdDaysAgo: 200 });
  builder.addJob({ title: 'Head of Sales', status: 'Draft', plan: planFor(builder, 'Head of Sales'), authorId, createdDaysAgo: 5 });
  const ml = builder.addJob({ title: 'Staff ML Engineer', status: 'Open', plan: planFor(builder, 'Staff ML Engineer'), authorId, confidential: true });

  existing(builder, { name: 'Jane Roe', email: 'jane.roe@example.com' });
  existing(builder, { name: 'Omar Haddad', linkedInUrl: 'https://www.linkedin.com/in/omar-haddad-fake/' });
  const priya = existing(builder, { name: 'Priya Natarajan', email: 'priya.natarajan@example.org' });
  builder.addApplication(priya, backend, 'Phone Screen', { sourceId: builder.sourceByTitle('Jack & Jill').id });

  addFillerCandidates(builder, 22, [backend, designer, ml], 0);
  return { tenant: builder.tenant, apiKey: seededApiKey('demo/Northwind Robotics'), confidentialAccess: true };
}

function acme(nowMs: number): SeededTenant {
  const builder = new SeedBuilder('Acme Health', new IdSource('demo/Acme Health'), nowMs);
  const authorId = addMetadata(builder, 'acmehealth.example.com');
  const fullStack = builder.addJob({ title: 'Full-Stack Engineer', status: 'Open', plan: planFor(builder, 'Full-Stack Engineer'), authorId });
  const clinical = builder.addJob({
    title: 'Clinical Operations Lead',
    status: 'Open',
    plan: planFor(builder, 'Clinical Operations Lead', ALTERNATE_STAGES),
    authorId,
  });

  existing(builder, { name: 'Lucas Moreau', email: 'lucas.moreau@example.net' });
  existing(builder, { name: 'Mei Tanaka', linkedInUrl: 'https://linkedin.com/in/mei-tanaka-fake' });

  addFillerCandidates(builder, 18, [fullStack, clinical], 11);
  return { tenant: builder.tenant, apiKey: seededApiKey('demo/Acme Health'), confidentialAccess: true };
}

function globex(nowMs: number): SeededTenant {
  const builder = new SeedBuilder('Globex Logistics', new IdSource('demo/Globex Logistics'), nowMs);
  const authorId = addMetadata(builder, 'globex.example.com');
  const warehouse = builder.addJob({
    title: 'Warehouse Operations Manager',
    status: 'Open',
    plan: planFor(builder, 'Warehouse Operations Manager'),
    authorId,
  });
  const sre = builder.addJob({ title: 'Site Reliability Engineer', status: 'Open', plan: planFor(builder, 'Site Reliability Engineer'), authorId });

  existing(builder, { name: 'Sven Larsen', email: 'sven.larsen@example.com' });
  existing(builder, { name: 'Ana Souza', email: 'ana.souza@example.com' });

  addFillerCandidates(builder, 16, [warehouse, sre], 19);
  return { tenant: builder.tenant, apiKey: seededApiKey('demo/Globex Logistics'), confidentialAccess: true };
}

/**
 * Builds the three demo organisations. Their keys may see confidential jobs, because the Northwind
 * sample export has candidates for the confidential "Staff ML Engineer" job.
 */
export function demoTenants(nowMs: number): SeededTenant[] {
  return [northwind(nowMs), acme(nowMs), globex(nowMs)];
}

/** Builds an organisation with users, sources, archive reasons, plans and open jobs, but no candidates. */
export function emptyTenant(name: string, nowMs: number, deterministic: boolean): SeededTenant {
  const builder = new SeedBuilder(name, new IdSource(deterministic ? `empty/${name}` : null), nowMs);
  const authorId = addMetadata(builder, 'company.example.com');
  builder.addJob({ title: 'Software Engineer', status: 'Open', plan: planFor(builder, 'Software Engineer'), authorId });
  builder.addJob({ title: 'Account Executive', status: 'Open', plan: planFor(builder, 'Account Executive'), authorId });
  builder.addJob({ title: 'Operations Analyst', status: 'Open', plan: planFor(builder, 'Operations Analyst', ALTERNATE_STAGES), authorId });
  builder.addJob({ title: 'Office Manager', status: 'Closed', plan: planFor(builder, 'Office Manager'), authorId, createdDaysAgo: 150 });
  return {
    tenant: builder.tenant,
    apiKey: deterministic ? seededApiKey(`empty/${name}`) : null,
    confidentialAccess: true,
  };
}

/** Builds an organisation like a demo one: a closed, a draft and a confidential job, plus about 20 candidates. */
export function demoLikeTenant(name: string, nowMs: number): SeededTenant {
  const builder = new SeedBuilder(name, new IdSource(null), nowMs);
  const authorId = addMetadata(builder, 'company.example.com');
  const engineer = builder.addJob({ title: 'Software Engineer', status: 'Open', plan: planFor(builder, 'Software Engineer'), authorId });
  const sales = builder.addJob({ title: 'Account Executive', status: 'Open', plan: planFor(builder, 'Account Executive', ALTERNATE_STAGES), authorId });
  builder.addJob({ title: 'Office Manager', status: 'Closed', plan: planFor(builder, 'Office Manager'), authorId, createdDaysAgo: 150 });
  builder.addJob({ title: 'Chief of Staff', status: 'Draft', plan: planFor(builder, 'Chief of Staff'), authorId, createdDaysAgo: 3 });
  builder.addJob({ title: 'Stealth Project Lead', status: 'Open', plan: planFor(builder, 'Stealth Project Lead'), authorId, confidential: true });
  addFillerCandidates(builder, 20, [engineer, sales], hashOffset(name));
  return { tenant: builder.tenant, apiKey: null, confidentialAccess: false };
}

/**
 * Builds an organisation with `candidateCount` candidates for benchmarks, about a third of them
 * with an application. Ids are random UUIDs so no hashing runs per record: 20,000 candidates took
 * 0.5 to 1.1 s on a shared 2-core test machine.
 */
export function largeTenant(name: string, nowMs: number, candidateCount: number): SeededTenant {
  const builder = new SeedBuilder(name, new IdSource(null), nowMs);
  const authorId = addMetadata(builder, 'company.example.com');
  const jobs = ['Software Engineer', 'Account Executive', 'Support Specialist', 'Data Analyst'].map((title) =>
    builder.addJob({ title, status: 'Open', plan: planFor(builder, title), authorId }),
  );
  const sourceId = builder.sourceByTitle('Jack & Jill').id;
  const stages = ['New Lead', 'Reached Out', 'Replied', 'Phone Screen'];
  for (let i = 0; i < candidateCount; i++) {
    const first = FIRST_NAMES[i % FIRST_NAMES.length]!;
    const last = LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length]!;
    const candidate = builder.addCandidate({
      name: `${first} ${last} ${i}`,
      email: `${first}.${last}.${i}@${DOMAINS[i % DOMAINS.length]}`.toLowerCase(),
      sourceId,
      createdDaysAgo: 1 + (i % 300),
    });
    if (i % 3 === 0) {
      builder.addApplication(candidate, jobs[i % jobs.length]!, stages[i % stages.length]!, { sourceId, createdDaysAgo: 1 + (i % 90) });
    }
  }
  return { tenant: builder.tenant, apiKey: null, confidentialAccess: true };
}

function hashOffset(name: string): number {
  return Number.parseInt(uuidFromName(name).slice(0, 6), 16) % 97;
}
