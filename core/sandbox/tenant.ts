import type { StoredCandidate, Tenant, Tracked } from './model.js';

export function createTenant(id: string, name: string): Tenant {
  return {
    id,
    name,
    users: new Map(),
    sources: new Map(),
    archiveReasons: new Map(),
    plans: new Map(),
    stages: new Map(),
    jobs: new Map(),
    candidates: new Map(),
    applications: new Map(),
    emailIndex: new Map(),
    nextOrdinal: 1,
    changeSeq: 0,
  };
}

/** Fields of a tracked record that the tenant assigns; callers pass the rest. */
export type Untracked<T extends Tracked> = Omit<T, 'ordinal' | 'changeSeq'>;

/** Gives a new record its creation ordinal and change sequence, in place (large seeds create many records). */
export function track<T extends Tracked>(tenant: Tenant, record: Untracked<T>): T {
  tenant.changeSeq += 1;
  const tracked = record as T;
  tracked.ordinal = tenant.nextOrdinal;
  tracked.changeSeq = tenant.changeSeq;
  tenant.nextOrdinal += 1;
  return tracked;
}

/** Marks a record as changed so the next incremental sync returns it. */
export function touch(tenant: Tenant, record: Tracked & { updatedAt: string }, updatedAt: string): void {
  tenant.changeSeq += 1;
  record.changeSeq = tenant.changeSeq;
  record.updatedAt = updatedAt;
}

export function indexCandidateEmails(tenant: Tenant, candidate: StoredCandidate): void {
  for (const email of candidate.emails) {
    const key = email.value.toLowerCase();
    let ids = tenant.emailIndex.get(key);
    if (!ids) {
      ids = new Set();
      tenant.emailIndex.set(key, ids);
    }
    ids.add(candidate.id);
  }
}

export function unindexCandidateEmails(tenant: Tenant, candidate: StoredCandidate): void {
  for (const email of candidate.emails) {
    const key = email.value.toLowerCase();
    const ids = tenant.emailIndex.get(key);
    if (!ids) continue;
    ids.delete(candidate.id);
    if (ids.size === 0) tenant.emailIndex.delete(key);
  }
}

/** Runs a change to a candidate's email list while keeping the search index in step. */
export function updateCandidateEmails(tenant: Tenant, candidate: StoredCandidate, change: () => void): void {
  unindexCandidateEmails(tenant, candidate);
  change();
  indexCandidateEmails(tenant, candidate);
}
