import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../core/clock.js';
import { enqueueLifecycleEvent } from '../../../core/engine/enqueue.js';
import { appendAudit } from '../../../core/store/repo/audit.js';
import { insertCandidate } from '../../../core/store/repo/candidates.js';
import { createClient } from '../../../core/store/repo/clients.js';
import { linkRole, upsertRole } from '../../../core/store/repo/roles.js';
import { closeDatabase, openDatabase, type SqliteDatabase } from '../../../core/store/db.js';
import { compareClient, expectedStage, type ChaosFinding, type ChaosPerson, type TenantSnapshot } from '../../chaos/expected.js';

const JOB = 'job-1';
let dir: string;
let db: SqliteDatabase;
let clientId: number;
let roleId: number;

function person(index: number, first: ChaosPerson['first'], second: ChaosPerson['second']): ChaosPerson {
  return {
    externalId: `cand-${index}`,
    name: `Person ${index}`,
    email: `person.${index}@example.com`,
    linkedInSlug: null,
    resumePath: null,
    first,
    second,
  };
}

function candidate(id: string, email: string): TenantSnapshot['candidates'][number] {
  return { id, emailAddresses: [{ value: email }], socialLinks: [] };
}

function application(id: string, candidateId: string, stage: string, moves = 0): TenantSnapshot['applications'][number] {
  return { id, candidate: { id: candidateId }, job: { id: JOB }, currentInterviewStage: { title: stage }, applicationHistory: Array.from({ length: moves + 1 }, () => ({})) };
}

/** Records the audit entries the engine writes when it creates a candidate and its application. */
function audited(candidateId: string, applicationId: string): void {
  appendAudit(db, systemClock, { clientId, action: 'candidate_created', outcome: 'ok', ashbyCandidateId: candidateId });
  appendAudit(db, systemClock, { clientId, action: 'application_created', outcome: 'ok', ashbyApplicationId: applicationId });
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'chaos-compare-'));
  db = openDatabase({ file: path.join(dir, 'console.sqlite') });
  clientId = createClient(db, systemClock, { name: 'Compare Client', baseUrl: 'http://127.0.0.1:9', isSandbox: true }).id;
  roleId = upsertRole(db, systemClock, { clientId, externalId: 'role-1', title: 'Engineer' }).id;
});

afterEach(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

describe('chaos expectations', () => {
  it('maps final states to stages', () => {
    expect(expectedStage(person(1, 'shortlisted', 'shortlisted'))).toBeNull();
    expect(expectedStage(person(2, 'archived', 'archived'))).toBeNull();
    expect(expectedStage(person(3, 'intro_requested', 'archived'))).toBe('Archived');
    expect(expectedStage(person(4, 'shortlisted', 'intro_requested'))).toBe('Reached Out');
    expect(expectedStage(person(5, 'intro_completed', 'hired'))).toBe('Hired');
    expect(expectedStage(person(6, 'intro_requested', 'intro_completed'))).toBe('Application Review');
  });
});

describe('compareClient', () => {
  it('reports zero for a matching tenant', () => {
    const people = [person(1, 'intro_requested', 'intro_requested'), person(2, 'shortlisted', 'shortlisted')];
    audited('c1', 'a1');
    const snapshot: TenantSnapshot = { candidates: [candidate('c1', 'Person.1@example.com')], applications: [application('a1', 'c1', 'Reached Out')] };

    expect(compareClient(people, snapshot, db, clientId, JOB)).toEqual({
      duplicates: 0,
      missing: 0,
      wrong_stage: 0,
      lost_events: 0,
      audit_gaps: 0,
      unexpected: 0,
    });
  });

  it('counts duplicates, missing and wrong stages', () => {
    const people = [person(1, 'intro_requested', 'intro_requested'), person(2, 'intro_requested', 'intro_requested'), person(3, 'intro_requested', 'intro_completed')];
    audited('c1', 'a1');
    audited('c1b', 'a1b');
    audited('c3', 'a3');
    const snapshot: TenantSnapshot = {
      candidates: [candidate('c1', 'person.1@example.com'), candidate('c1b', 'PERSON.1@example.com'), candidate('c3', 'person.3@example.com')],
      applications: [application('a1', 'c1', 'Reached Out'), application('a1b', 'c1b', 'Reached Out'), application('a3', 'c3', 'Reached Out')],
    };

    const counts = compareClient(people, snapshot, db, clientId, JOB);

    expect(counts.duplicates).toBe(2);
    expect(counts.missing).toBe(1);
    expect(counts.wrong_stage).toBe(1);
    expect(counts.unexpected).toBe(0);
  });

  it('counts unfinished outbox items and missing events as lost', () => {
    const people = [person(1, 'intro_requested', 'intro_completed'), person(2, 'intro_requested', 'archived')];
    linkRole(db, systemClock, roleId, { ashbyJobId: JOB, ashbyJobTitle: 'Engineer', ashbyInterviewPlanId: 'plan-1' });
    const stored = insertCandidate(db, systemClock, { clientId, roleId, externalId: 'cand-1', name: 'Person 1', state: 'intro_completed' });
    enqueueLifecycleEvent(db, systemClock, { clientId, roleId, candidateId: stored.id, event: 'complete_intro', origin: 'import' });
    const findings: ChaosFinding[] = [];

    const counts = compareClient(people, { candidates: [], applications: [] }, db, clientId, JOB, findings);

    // One pending item that never finished, and person 2's archive event that was never queued.
    expect(counts.lost_events).toBe(2);
    expect(findings.filter((finding) => finding.count === 'lost_events')).toHaveLength(1);
  });

  it('counts writes with no audit entry', () => {
    const people = [person(1, 'intro_requested', 'intro_completed')];
    appendAudit(db, systemClock, { clientId, action: 'candidate_created', outcome: 'ok', ashbyCandidateId: 'c1' });
    const snapshot: TenantSnapshot = {
      candidates: [{ ...candidate('c1', 'person.1@example.com'), resumeFileHandle: { id: 'file-1' } }],
      applications: [application('a1', 'c1', 'Application Review', 1)],
    };

    const counts = compareClient(people, snapshot, db, clientId, JOB);

    // The application's creation, its one move and the resume are not in the audit log.
    expect(counts.audit_gaps).toBe(3);
  });

  it('counts candidates nobody expects as unexpected', () => {
    const people = [person(1, 'shortlisted', 'shortlisted')];
    const snapshot: TenantSnapshot = { candidates: [candidate('c1', 'person.1@example.com'), candidate('c9', 'stranger@example.com')], applications: [] };
    appendAudit(db, systemClock, { clientId, action: 'candidate_created', outcome: 'ok', ashbyCandidateId: 'c1' });
    appendAudit(db, systemClock, { clientId, action: 'candidate_created', outcome: 'ok', ashbyCandidateId: 'c9' });

    expect(compareClient(people, snapshot, db, clientId, JOB).unexpected).toBe(2);
  });
});
