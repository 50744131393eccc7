// Shared set-up for audit tests: a migrated database in a temp folder with two clients, their roles
// and candidates whose names need careful encoding (accents, CJK, quotes and commas).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock } from '../../../core/clock.js';
import { openDatabase, type SqliteDatabase } from '../../../core/store/db.js';
import { appendAudit, type NewAuditEntry } from '../../../core/store/repo/audit.js';
import { insertCandidate } from '../../../core/store/repo/candidates.js';
import { createClient } from '../../../core/store/repo/clients.js';
import { upsertRole } from '../../../core/store/repo/roles.js';

/** Returns a clock that starts at `start` and moves forward by `stepMs` on every reading. */
export function steppingClock(start: string, stepMs = 60_000): Clock & { set(iso: string): void } {
  let current = Date.parse(start) - stepMs;
  return {
    now: () => {
      current += stepMs;
      return current;
    },
    set(iso: string) {
      current = Date.parse(iso) - stepMs;
    },
  };
}

export const fixedClock = (iso: string): Clock => ({ now: () => Date.parse(iso) });

export interface AuditWorld {
  db: SqliteDatabase;
  dir: string;
  file: string;
  clientA: number;
  clientB: number;
  roleA: number;
  roleB: number;
  zoe: number;
  misaki: number;
  jean: number;
  cleanup(): void;
}

export const ZOE = {
  name: 'Zoë Ångström',
  email: 'zoe.angstrom@example.com',
  linkedinUrl: 'https://www.linkedin.com/in/zoe-angstrom',
  phone: '+44 20 7946 0958',
};
export const MISAKI = {
  name: '田中 美咲',
  email: 'misaki.tanaka@example.jp',
  linkedinUrl: null,
  phone: null,
};
export const JEAN = {
  name: 'Jean "JJ" O\'Neil, PhD',
  email: 'jj@example.org',
  linkedinUrl: 'https://www.linkedin.com/in/jj-oneil/',
  phone: '+1 (555) 010-2030',
};

/** Opens a migrated database in a new temp folder and adds two clients, two roles and three candidates. */
export function openAuditWorld(): AuditWorld {
  const dir = mkdtempSync(path.join(tmpdir(), 'ashby-audit-'));
  const file = path.join(dir, 'console.sqlite');
  const setupClock = fixedClock('2025-12-01T00:00:00.000Z');
  const db = openDatabase({ file, clock: setupClock });

  const clientA = createClient(db, setupClock, {
    name: 'Acme Fake',
    baseUrl: 'https://a.example',
  }).id;
  const clientB = createClient(db, setupClock, {
    name: 'Beta Fake',
    baseUrl: 'https://b.example',
  }).id;
  const roleA = upsertRole(db, setupClock, {
    clientId: clientA,
    externalId: 'ra',
    title: 'Backend Engineer',
  }).id;
  const roleB = upsertRole(db, setupClock, {
    clientId: clientB,
    externalId: 'rb',
    title: 'Product Designer',
  }).id;
  const add = (
    clientId: number,
    roleId: number,
    externalId: string,
    person: typeof ZOE | typeof MISAKI,
  ) =>
    insertCandidate(db, setupClock, {
      clientId,
      roleId,
      externalId,
      name: person.name,
      email: person.email,
      linkedinUrl: person.linkedinUrl,
      phone: person.phone,
      state: 'intro_requested',
    }).id;

  return {
    db,
    dir,
    file,
    clientA,
    clientB,
    roleA,
    roleB,
    zoe: add(clientA, roleA, 'zoe', ZOE),
    misaki: add(clientA, roleA, 'misaki', MISAKI),
    jean: add(clientB, roleB, 'jean', JEAN),
    cleanup() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Appends `entries` in order, each one clock step after the previous. */
export function appendEntries(
  db: SqliteDatabase,
  clock: Clock,
  entries: NewAuditEntry[],
): number[] {
  return entries.map((entry) => appendAudit(db, clock, entry).id);
}
