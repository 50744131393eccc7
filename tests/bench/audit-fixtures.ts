// Generates a realistic audit log for benchmarks: clients, roles, candidates with names in several
// scripts, and entries spread over about a year in time order. A seeded generator makes two runs
// with the same options produce the same rows.
import type Database from 'better-sqlite3';
import { indexAuditEntries } from '../../core/audit/message-index.js';

export interface AuditFixtureOptions {
  entries: number;
  clients?: number;
  rolesPerClient?: number;
  candidates?: number;
  /** First entry's time (ISO-8601); later entries follow 0–60 s apart. */
  startAt?: string;
  seed?: number;
}

export interface AuditFixtureSummary {
  clientIds: number[];
  roleIds: number[];
  candidateIds: number[];
  entries: number;
  firstAt: string;
  lastAt: string;
}

const FIRST_NAMES = [
  'Zoë',
  'José',
  'María',
  'Søren',
  'Jane',
  'Amir',
  'Chloé',
  'Łukasz',
  '美咲',
  '陽翔',
  'Ólafur',
  'Priya',
  'Noah',
  'Anaïs',
  'Dmitri',
  'Grace',
];
const LAST_NAMES = [
  'Ångström',
  'Roe',
  'Núñez',
  'Øster',
  'Smith',
  'Kowalski',
  '田中',
  '佐藤',
  'Dubois',
  'Müller',
  'Okafor',
  'García',
  'Lindqvist',
  'Patel',
  'Nakamura',
  'Brown',
];
const JOB_TITLES = [
  'Senior Backend Engineer',
  'Product Designer',
  'Data Scientist',
  'Head of Sales',
  'Staff SRE',
];
const EVENTS = ['shortlist', 'request_intro', 'complete_intro', 'archive', 'hire'] as const;

/** Small deterministic PRNG (mulberry32); returns floats in [0, 1). */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function hexId(random: () => number, length: number): string {
  let text = '';
  while (text.length < length)
    text += Math.floor(random() * 0xffffffff)
      .toString(16)
      .padStart(8, '0');
  return text.slice(0, length);
}

function ashbyId(random: () => number): string {
  const hex = hexId(random, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

interface CandidateFixture {
  id: number;
  clientId: number;
  roleId: number;
  name: string;
  email: string;
}

function messageFor(
  random: () => number,
  candidate: CandidateFixture,
  event: string,
): { action: string; outcome: string; message: string } {
  const roll = random();
  if (roll < 0.05) {
    return {
      action: 'ashby.write',
      outcome: 'failed',
      message: `Ashby rejected the ${event} push: missing permission candidatesWrite`,
    };
  }
  if (roll < 0.15) {
    return { action: 'decision', outcome: 'skipped', message: 'Skipped: already past Reached Out' };
  }
  if (roll < 0.2) {
    return {
      action: 'ashby.write',
      outcome: 'ok',
      message: `Linked ${candidate.name} to the existing Ashby candidate by email ${candidate.email}`,
    };
  }
  if (roll < 0.5) {
    return {
      action: 'ashby.write',
      outcome: 'ok',
      message: `Created candidate ${candidate.name} and an application at stage Reached Out`,
    };
  }
  if (roll < 0.8) {
    return {
      action: 'ashby.write',
      outcome: 'ok',
      message: 'Moved the application from Reached Out to Active',
    };
  }
  return { action: 'decision', outcome: 'ok', message: `Queued ${event} for ${candidate.name}` };
}

/**
 * Inserts the fixture into an empty, migrated database in batched transactions and returns the
 * ids it created.
 */
export function generateAuditFixture(
  db: Database.Database,
  options: AuditFixtureOptions,
): AuditFixtureSummary {
  const random = createRandom(options.seed ?? 7);
  const clientCount = options.clients ?? 10;
  const rolesPerClient = options.rolesPerClient ?? 20;
  const candidateCount = options.candidates ?? 50_000;
  const created = '2025-01-01T00:00:00.000Z';

  const clientIds: number[] = [];
  const roleIds: number[] = [];
  const roleClient = new Map<number, number>();
  db.transaction(() => {
    const insertClient = db.prepare(
      `INSERT INTO clients (name, base_url, created_at, updated_at) VALUES (?, 'http://127.0.0.1:1', ?, ?)`,
    );
    const insertRole = db.prepare(
      `INSERT INTO roles (client_id, external_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
    );
    for (let c = 0; c < clientCount; c += 1) {
      const clientId = Number(
        insertClient.run(`Client ${c + 1}`, created, created).lastInsertRowid,
      );
      clientIds.push(clientId);
      for (let r = 0; r < rolesPerClient; r += 1) {
        const roleId = Number(
          insertRole.run(clientId, `role-${c}-${r}`, pick(random, JOB_TITLES), created, created)
            .lastInsertRowid,
        );
        roleIds.push(roleId);
        roleClient.set(roleId, clientId);
      }
    }
  })();

  const candidates: CandidateFixture[] = [];
  db.transaction(() => {
    const insertCandidate = db.prepare(
      `INSERT INTO candidates (client_id, role_id, external_id, name, email, email_key, linkedin_url,
         linkedin_slug, phone, state, state_changed_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'shortlisted', ?, ?, ?)`,
    );
    for (let i = 0; i < candidateCount; i += 1) {
      const roleId = pick(random, roleIds);
      const clientId = roleClient.get(roleId)!;
      const name = `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`;
      const email = `person${i}@example.com`;
      const slug = `person-${i}`;
      const phone = `+44 20 7946 ${String(i % 10_000).padStart(4, '0')}`;
      const id = Number(
        insertCandidate.run(
          clientId,
          roleId,
          `cand-${i}`,
          name,
          email,
          email,
          `https://www.linkedin.com/in/${slug}`,
          slug,
          phone,
          created,
          created,
          created,
        ).lastInsertRowid,
      );
      candidates.push({ id, clientId, roleId, name, email });
    }
  })();

  const insertEntry = db.prepare(
    `INSERT INTO audit_log (at, client_id, role_id, candidate_id, event, action, outcome, message,
       ashby_candidate_id, ashby_application_id, ashby_request_id, actor)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let time = Date.parse(options.startAt ?? '2025-12-01T00:00:00.000Z');
  const firstAt = new Date(time).toISOString();
  const batchSize = 50_000;
  for (let start = 0; start < options.entries; start += batchSize) {
    const end = Math.min(options.entries, start + batchSize);
    db.transaction(() => {
      for (let i = start; i < end; i += 1) {
        time += Math.floor(random() * 60_000);
        const candidate = pick(random, candidates);
        const event = pick(random, EVENTS);
        const { action, outcome, message } = messageFor(random, candidate, event);
        const wroteToAshby = action === 'ashby.write';
        insertEntry.run(
          new Date(time).toISOString(),
          candidate.clientId,
          candidate.roleId,
          candidate.id,
          event,
          action,
          outcome,
          message,
          wroteToAshby ? ashbyId(random) : null,
          wroteToAshby ? ashbyId(random) : null,
          wroteToAshby ? hexId(random, 16) : null,
          random() < 0.9 ? 'engine' : 'admin',
        );
      }
    })();
  }
  // The app indexes entries in batches after they are written; a generated log starts indexed.
  while (indexAuditEntries(db, batchSize) > 0);

  return {
    clientIds,
    roleIds,
    candidateIds: candidates.map((candidate) => candidate.id),
    entries: options.entries,
    firstAt,
    lastAt: new Date(time).toISOString(),
  };
}
