// The chaos run's pipeline data and the state Ashby must end in, and the comparison of that
// expectation with the sandbox's state and the console's outbox and audit log.
import type Database from 'better-sqlite3';
import type { PipelineState } from '../../shared/domain.js';
import type { PipelineRow } from '../bench/fixture.js';

/** One pipeline candidate of one client, as exported twice: before and after the later stage events. */
export interface ChaosPerson {
  externalId: string;
  name: string;
  email: string | null;
  linkedInSlug: string | null;
  resumePath: string | null;
  first: PipelineState;
  second: PipelineState;
}

/** Stage title each final pipeline state lands on in the sandbox's standard plan. */
const STAGE_FOR_STATE: Record<PipelineState, string | null> = {
  shortlisted: null,
  intro_requested: 'Reached Out',
  intro_completed: 'Application Review',
  archived: 'Archived',
  hired: 'Hired',
};

/** Mulberry32, so one seed gives the same people, states and kill moments on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, weighted: ReadonlyArray<readonly [T, number]>): T {
  let roll = random();
  for (const [value, weight] of weighted) {
    if (roll < weight) return value;
    roll -= weight;
  }
  return (weighted[weighted.length - 1] as readonly [T, number])[0];
}

const FIRST_STATES: ReadonlyArray<readonly [PipelineState, number]> = [
  ['shortlisted', 0.15],
  ['intro_requested', 0.45],
  ['intro_completed', 0.25],
  ['archived', 0.1],
  ['hired', 0.05],
];

/** Later states only move forward, because the console never moves an application backwards. */
const NEXT_STATES: Record<PipelineState, ReadonlyArray<readonly [PipelineState, number]>> = {
  shortlisted: [['shortlisted', 0.5], ['intro_requested', 0.5]],
  intro_requested: [['intro_requested', 0.4], ['intro_completed', 0.3], ['archived', 0.3]],
  intro_completed: [['intro_completed', 0.5], ['hired', 0.25], ['archived', 0.25]],
  archived: [['archived', 1]],
  hired: [['hired', 1]],
};

export function generatePeople(client: number, count: number, random: () => number, resumes: readonly string[]): ChaosPerson[] {
  return Array.from({ length: count }, (_, index) => {
    const handle = `chaos${client}.person${index + 1}`;
    const linkedInOnly = random() < 0.1;
    const first = pick(random, FIRST_STATES);
    return {
      externalId: `cand-${String(index + 1).padStart(5, '0')}`,
      name: `Chaos ${client} Person ${String(index + 1).padStart(5, '0')}`,
      email: linkedInOnly ? null : `${handle}@chaos.example.com`,
      linkedInSlug: linkedInOnly ? `chaos-${client}-person-${index + 1}` : null,
      resumePath: random() < 0.5 && resumes.length > 0 ? `resumes/${resumes[index % resumes.length] as string}` : null,
      first,
      second: pick(random, NEXT_STATES[first]),
    };
  });
}

export function pipelineRows(people: readonly ChaosPerson[], which: 'first' | 'second', roleId: string): PipelineRow[] {
  const at = new Date(Date.UTC(2026, 0, which === 'first' ? 5 : 6, 9)).toISOString();
  return people.map((person) => ({
    roleId,
    roleTitle: 'Software Engineer',
    candidateId: person.externalId,
    name: person.name,
    email: person.email,
    linkedinUrl: person.linkedInSlug === null ? null : `https://www.linkedin.com/in/${person.linkedInSlug}`,
    resumePath: person.resumePath,
    state: person[which],
    stateChangedAt: at,
  }));
}

/**
 * Returns the stage the person must be at in Ashby at the end, or null when they must not be in
 * Ashby. A person still shortlisted is never pushed, because Shortlist is off by default. A
 * person archived before the console pushed them is skipped, because there is nothing to archive.
 */
export function expectedStage(person: ChaosPerson): string | null {
  const neverPushed = person.second === 'shortlisted' || (person.first === 'archived' && person.second === 'archived');
  return neverPushed ? null : STAGE_FOR_STATE[person.second];
}

/** Lifecycle events the second import must fire: one per changed state. */
export function expectedSecondEvents(people: readonly ChaosPerson[]): number {
  return people.filter((person) => person.first !== person.second).length;
}

interface SnapshotCandidate {
  id: string;
  emailAddresses: { value: string }[];
  socialLinks: { type: string; url: string }[];
  resumeFileHandle?: unknown;
}

interface SnapshotApplication {
  id: string;
  candidate: { id: string };
  job: { id: string };
  currentInterviewStage: { title: string };
  applicationHistory?: unknown[];
}

export interface TenantSnapshot {
  candidates: SnapshotCandidate[];
  applications: SnapshotApplication[];
}

export interface ChaosCounts {
  duplicates: number;
  missing: number;
  wrong_stage: number;
  lost_events: number;
  audit_gaps: number;
  /** Ashby candidates that match no pipeline person, or people present who must not be. */
  unexpected: number;
}

/** One finding, for the report: which count it adds to and why. */
export interface ChaosFinding {
  count: keyof ChaosCounts;
  subject: string;
  reason: string;
}

function slugOf(url: string): string | null {
  const match = /linkedin\.com\/in\/([^/?#]+)/i.exec(url);
  return match?.[1] === undefined ? null : match[1].toLowerCase();
}

/**
 * Compares one client's sandbox tenant and console database with the expectation.
 *
 * - duplicates: for each person, Ashby candidates beyond the first that match them (by email,
 *   ignoring case, or by LinkedIn slug), plus applications beyond the first on the role's job.
 * - missing: people who must be in Ashby but have no candidate, no application on the job, or
 *   (when the console created them with a resume) no resume.
 * - wrong_stage: people whose application on the job is at another stage than their final
 *   pipeline state maps to.
 * - lost_events: lifecycle events the console accepted that never reached Ashby, that is outbox
 *   items of the client neither done nor deliberately discarded at the end. State changes of the
 *   second import that produced no outbox item at all count too.
 * - audit_gaps: writes visible in Ashby with no audit entry: a candidate whose id no
 *   `candidate_created` or `linked` entry names, an application whose id no `application_created`
 *   entry names, stage moves in an application's history beyond the audit entries of moves
 *   (`application_moved`, `archived`, `hired`) naming it, a resume with no `resume_uploaded`
 *   entry, and done outbox items with no audit entry at all.
 * - unexpected: Ashby candidates matching no pipeline person (the tenant starts empty), and people
 *   present in Ashby who must not be.
 */
export function compareClient(
  people: readonly ChaosPerson[],
  snapshot: TenantSnapshot,
  db: Database.Database,
  clientId: number,
  jobId: string,
  findings: ChaosFinding[] = [],
): ChaosCounts {
  const counts: ChaosCounts = { duplicates: 0, missing: 0, wrong_stage: 0, lost_events: 0, audit_gaps: 0, unexpected: 0 };
  const byEmail = new Map<string, SnapshotCandidate[]>();
  const bySlug = new Map<string, SnapshotCandidate[]>();
  for (const candidate of snapshot.candidates) {
    for (const email of candidate.emailAddresses) {
      const key = email.value.toLowerCase();
      byEmail.set(key, [...(byEmail.get(key) ?? []), candidate]);
    }
    for (const link of candidate.socialLinks) {
      const slug = slugOf(link.url);
      if (slug !== null) bySlug.set(slug, [...(bySlug.get(slug) ?? []), candidate]);
    }
  }
  const applicationsByCandidate = new Map<string, SnapshotApplication[]>();
  for (const application of snapshot.applications) {
    if (application.job.id !== jobId) continue;
    applicationsByCandidate.set(application.candidate.id, [...(applicationsByCandidate.get(application.candidate.id) ?? []), application]);
  }

  const matched = new Set<string>();
  const createdWithResume = new Set(
    (
      db
        .prepare(
          `SELECT DISTINCT a.ashby_candidate_id AS id FROM audit_log a JOIN candidates c ON c.id = a.candidate_id
           WHERE a.client_id = ? AND a.action = 'candidate_created' AND c.resume_sha256 IS NOT NULL`,
        )
        .all(clientId) as { id: string }[]
    ).map((row) => row.id),
  );
  for (const person of people) {
    const found = person.email !== null ? (byEmail.get(person.email.toLowerCase()) ?? []) : (bySlug.get(person.linkedInSlug ?? '') ?? []);
    for (const candidate of found) matched.add(candidate.id);
    const stage = expectedStage(person);
    if (stage === null) {
      if (found.length > 0) counts.unexpected += found.length;
      continue;
    }
    if (found.length === 0) {
      counts.missing += 1;
      findings.push({ count: 'missing', subject: person.externalId, reason: `no Ashby candidate; expected at ${stage}` });
      continue;
    }
    counts.duplicates += found.length - 1;
    const applications = found.flatMap((candidate) => applicationsByCandidate.get(candidate.id) ?? []);
    if (applications.length === 0) {
      counts.missing += 1;
      findings.push({ count: 'missing', subject: person.externalId, reason: `Ashby candidate ${found[0]?.id ?? ''} has no application on the job; expected at ${stage}` });
      continue;
    }
    counts.duplicates += applications.length - 1;
    if (!applications.some((application) => application.currentInterviewStage.title === stage)) counts.wrong_stage += 1;
    const candidate = found[0] as SnapshotCandidate;
    if (person.resumePath !== null && createdWithResume.has(candidate.id) && (candidate.resumeFileHandle ?? null) === null) counts.missing += 1;
  }
  counts.unexpected += snapshot.candidates.filter((candidate) => !matched.has(candidate.id)).length;

  const unfinishedRows = db
    .prepare(
      `SELECT o.id, o.event, o.status, o.reason_code, o.reason, c.external_id FROM outbox o JOIN candidates c ON c.id = o.candidate_id
       WHERE o.client_id = ? AND o.status NOT IN ('done', 'discarded')`,
    )
    .all(clientId) as { id: number; event: string; status: string; reason_code: string | null; reason: string | null; external_id: string }[];
  for (const row of unfinishedRows) {
    findings.push({ count: 'lost_events', subject: row.external_id, reason: `outbox item ${row.id} (${row.event}) is ${row.status}: ${row.reason_code ?? ''} ${row.reason ?? ''}` });
  }
  const unfinished = { count: unfinishedRows.length };
  const secondEvents = db
    .prepare(`SELECT COUNT(*) AS count FROM outbox WHERE client_id = ? AND origin = 'import'`)
    .get(clientId) as { count: number };
  counts.lost_events = unfinished.count + Math.max(0, expectedSecondEvents(people) - secondEvents.count);

  counts.audit_gaps = auditGaps(snapshot, db, clientId, jobId, findings);
  return counts;
}

function auditGaps(snapshot: TenantSnapshot, db: Database.Database, clientId: number, jobId: string, findings: ChaosFinding[]): number {
  const named = (actions: string[], column: 'ashby_candidate_id' | 'ashby_application_id'): Map<string, number> => {
    const rows = db
      .prepare(
        `SELECT ${column} AS id, COUNT(*) AS count FROM audit_log WHERE client_id = ? AND ${column} IS NOT NULL
         AND action IN (${actions.map(() => '?').join(', ')}) GROUP BY ${column}`,
      )
      .all(clientId, ...actions) as { id: string; count: number }[];
    return new Map(rows.map((row) => [row.id, row.count]));
  };
  const candidateEntries = named(['candidate_created', 'linked'], 'ashby_candidate_id');
  const resumeEntries = named(['resume_uploaded'], 'ashby_candidate_id');
  const createdEntries = named(['application_created'], 'ashby_application_id');
  const moveEntries = named(['application_moved', 'archived', 'hired'], 'ashby_application_id');

  let gaps = 0;
  const gap = (subject: string, reason: string): void => {
    gaps += 1;
    findings.push({ count: 'audit_gaps', subject, reason });
  };
  for (const candidate of snapshot.candidates) {
    if (!candidateEntries.has(candidate.id)) gap(candidate.id, 'candidate in Ashby with no candidate_created or linked entry');
    if ((candidate.resumeFileHandle ?? null) !== null && !resumeEntries.has(candidate.id)) gap(candidate.id, 'resume in Ashby with no resume_uploaded entry');
  }
  for (const application of snapshot.applications) {
    if (application.job.id !== jobId) continue;
    if (!createdEntries.has(application.id)) gap(application.id, 'application in Ashby with no application_created entry');
    const moves = Math.max(0, (application.applicationHistory?.length ?? 1) - 1);
    const recorded = moveEntries.get(application.id) ?? 0;
    for (let missing = recorded; missing < moves; missing += 1) gap(application.id, `${moves} stage moves in Ashby, ${recorded} recorded`);
  }
  const silentItems = db
    .prepare(
      `SELECT COUNT(*) AS count FROM outbox o WHERE o.client_id = ? AND o.status = 'done'
       AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.outbox_id = o.id)`,
    )
    .get(clientId) as { count: number };
  return gaps + silentItems.count;
}
