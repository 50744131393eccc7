// Exports a generated log of thousands of entries for hundreds of people, plain and redacted, and
// reads both files back with csv-parse's streaming parser.
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAudit } from '../../../core/audit/export.js';
import type { Clock } from '../../../core/clock.js';
import { closeDatabase, openDatabase, type SqliteDatabase } from '../../../core/store/db.js';
import { generateAuditFixture } from '../../bench/audit-fixtures.js';

const ENTRIES = 5000;
const clock: Clock = { now: () => Date.parse('2027-01-01T00:00:00.000Z') };

let dir: string;
let db: SqliteDatabase;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ashby-audit-export-'));
  db = openDatabase({ file: path.join(dir, 'console.sqlite'), clock });
  generateAuditFixture(db, { entries: ENTRIES, clients: 3, rolesPerClient: 4, candidates: 400 });
});

afterAll(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

async function readCsv(file: string): Promise<string[][]> {
  const rows: string[][] = [];
  const parser = createReadStream(file).pipe(parse({ bom: true }));
  for await (const row of parser) rows.push(row as string[]);
  return rows;
}

describe('audit export of a generated log', () => {
  it('maps each person to one pseudonym and leaks nothing', async () => {
    const plainFile = path.join(dir, 'plain.csv');
    const redactedFile = path.join(dir, 'redacted.csv');
    // The redacted export runs first so that both contain exactly the generated entries.
    const redacted = await exportAudit(db, {
      filter: {},
      format: 'csv',
      redactPii: true,
      out: redactedFile,
      clock,
      actor: 'test',
    });
    const plain = await exportAudit(db, {
      filter: { to: '2027-01-01T00:00:00.000Z' },
      format: 'csv',
      redactPii: false,
      out: plainFile,
      clock,
      actor: 'test',
    });

    expect(redacted.rows).toBe(ENTRIES);
    expect(plain.rows).toBe(ENTRIES);

    const plainRows = (await readCsv(plainFile)).slice(1);
    const redactedRows = (await readCsv(redactedFile)).slice(1);
    expect(redactedRows).toHaveLength(ENTRIES);

    // Same person (email) → same pseudonym, and different people → different pseudonyms.
    const pseudonymByEmail = new Map<string, string>();
    const emailByPseudonym = new Map<string, string>();
    plainRows.forEach((row, index) => {
      const email = row[4]!;
      const pseudonym = redactedRows[index]![4]!;
      expect(pseudonymByEmail.get(email) ?? pseudonym).toBe(pseudonym);
      expect(emailByPseudonym.get(pseudonym) ?? email).toBe(email);
      pseudonymByEmail.set(email, pseudonym);
      emailByPseudonym.set(pseudonym, email);
    });
    expect(pseudonymByEmail.size).toBeGreaterThan(300);

    const redactedText = readFileSync(redactedFile, 'utf8');
    const people = db.prepare('SELECT name, email, phone, linkedin_slug FROM candidates').all() as {
      name: string;
      email: string;
      phone: string;
      linkedin_slug: string;
    }[];
    for (const person of people) {
      expect(redactedText).not.toContain(person.email);
      expect(redactedText).not.toContain(person.phone);
      expect(redactedText).not.toContain(`/in/${person.linkedin_slug}`);
      expect(redactedText).not.toContain(person.name);
    }
  });

  it('exports a filtered client as JSON Lines', async () => {
    const file = path.join(dir, 'client.jsonl');
    const clientId = db
      .prepare('SELECT id FROM clients ORDER BY id LIMIT 1')
      .pluck()
      .get() as number;
    const expected = db
      .prepare(
        `SELECT count(*) FROM audit_log WHERE client_id = ? AND action LIKE 'ashby.%' AND outcome = 'failed'`,
      )
      .pluck()
      .get(clientId) as number;

    const result = await exportAudit(db, {
      filter: { clientId, outcome: 'failed' },
      format: 'jsonl',
      redactPii: false,
      out: file,
      clock,
      actor: 'test',
    });

    const records = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { client: string; outcome: string; time: string });
    expect(expected).toBeGreaterThan(0);
    expect(result.rows).toBe(expected);
    expect(records).toHaveLength(expected);
    expect(new Set(records.map((record) => record.client))).toEqual(new Set(['Client 1']));
    const times = records.map((record) => record.time);
    expect(times).toEqual([...times].sort());
  });
});
