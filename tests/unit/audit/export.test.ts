import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportAudit, type AuditExportOptions } from '../../../core/audit/export.js';
import { CSV_HEADER, type AuditExportRecord } from '../../../core/audit/export-format.js';
import { PSEUDONYM_SALT_SETTING } from '../../../core/audit/pseudonyms.js';
import { queryAuditPage } from '../../../core/audit/query.js';
import { registerSecret } from '../../../core/log/logger.js';
import {
  appendEntries,
  JEAN,
  MISAKI,
  openAuditWorld,
  steppingClock,
  ZOE,
  type AuditWorld,
} from './helpers.js';

let world: AuditWorld;
const clock = steppingClock('2026-01-01T00:00:00.000Z');

beforeEach(() => {
  world = openAuditWorld();
  clock.set('2026-01-01T00:00:00.000Z');
});

afterEach(() => {
  world.cleanup();
});

const HEADER = Object.values(CSV_HEADER);

function seedPeople(): void {
  appendEntries(world.db, clock, [
    {
      clientId: world.clientA,
      roleId: world.roleA,
      candidateId: world.zoe,
      event: 'request_intro',
      action: 'push.candidate_created',
      outcome: 'ok',
      message: `Created ${ZOE.name}, "the designer", at stage Reached Out\nsecond line`,
      ashbyCandidateId: 'cand-1',
      ashbyApplicationId: 'app-1',
      ashbyRequestId: 'req-1',
    },
    {
      clientId: world.clientA,
      roleId: world.roleA,
      candidateId: world.misaki,
      event: 'complete_intro',
      action: 'push.application_moved',
      outcome: 'ok',
      message: `${MISAKI.name} の応募を Active に移動しました`,
    },
    {
      clientId: world.clientB,
      roleId: world.roleB,
      candidateId: world.jean,
      event: 'archive',
      action: 'push.archived',
      outcome: 'failed',
      message: 'Archive reason not set for Beta Fake',
      actor: 'admin',
    },
  ]);
}

function exportOptions(overrides: Partial<AuditExportOptions>): AuditExportOptions {
  return {
    filter: {},
    format: 'csv',
    redactPii: false,
    out: path.join(world.dir, 'export.csv'),
    clock,
    actor: 'admin',
    ...overrides,
  };
}

function parseCsv(file: string): string[][] {
  return parse(readFileSync(file), { bom: true, relax_column_count: false }) as string[][];
}

function readJsonLines(file: string): AuditExportRecord[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as AuditExportRecord);
}

describe('exportAudit CSV', () => {
  it('round-trips accents, CJK, quotes and newlines', async () => {
    seedPeople();
    const file = path.join(world.dir, 'export.csv');
    const result = await exportAudit(world.db, exportOptions({ out: file }));

    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(result).toEqual({ rows: 3, bytes: bytes.length });
    expect(bytes.toString('utf8')).toContain('\r\n');

    const [header, zoe, misaki, jean] = parseCsv(file);
    expect(header).toEqual(HEADER);
    expect(zoe).toEqual([
      '2026-01-01T00:00:00.000Z',
      'Acme Fake',
      'Backend Engineer',
      ZOE.name,
      ZOE.email,
      ZOE.linkedinUrl,
      'request_intro',
      'push.candidate_created',
      'ok',
      `Created ${ZOE.name}, "the designer", at stage Reached Out\nsecond line`,
      'cand-1',
      'app-1',
      'req-1',
      'engine',
    ]);
    expect(misaki?.[3]).toBe(MISAKI.name);
    expect(misaki?.[9]).toBe(`${MISAKI.name} の応募を Active に移動しました`);
    expect(misaki?.[5]).toBe('');
    expect(jean?.[3]).toBe(JEAN.name);
    expect(jean?.[13]).toBe('admin');
  });

  it('neutralises each formula trigger', async () => {
    const triggers = ['=', '+', '-', '@', '\t', '\r'];
    appendEntries(
      world.db,
      clock,
      triggers.map((trigger) => ({
        clientId: world.clientA,
        action: 'decision',
        outcome: 'ok',
        message: `${trigger}HYPERLINK("http://127.0.0.1/x","click")`,
      })),
    );
    appendEntries(world.db, clock, [
      { action: 'decision', outcome: 'ok', message: 'plain = text' },
    ]);
    const file = path.join(world.dir, 'formulas.csv');
    await exportAudit(world.db, exportOptions({ out: file }));

    const messages = parseCsv(file)
      .slice(1)
      .map((row) => row[9]);
    triggers.forEach((trigger, index) => {
      expect(messages[index], JSON.stringify(trigger)).toBe(
        `'${trigger}HYPERLINK("http://127.0.0.1/x","click")`,
      );
    });
    expect(messages[triggers.length]).toBe('plain = text');
  });

  it('neutralises formula-like candidate names', async () => {
    world.db
      .prepare('UPDATE candidates SET name = ? WHERE id = ?')
      .run("=cmd|' /C calc'!A0", world.jean);
    appendEntries(world.db, clock, [
      { clientId: world.clientB, candidateId: world.jean, action: 'decision', outcome: 'ok' },
    ]);
    const file = path.join(world.dir, 'names.csv');
    await exportAudit(world.db, exportOptions({ out: file }));

    expect(parseCsv(file)[1]?.[3]).toBe("'=cmd|' /C calc'!A0");
  });
});

describe('exportAudit JSON Lines', () => {
  it('writes one parseable object per line', async () => {
    seedPeople();
    const file = path.join(world.dir, 'export.jsonl');
    const result = await exportAudit(world.db, exportOptions({ out: file, format: 'jsonl' }));

    const text = readFileSync(file, 'utf8');
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text.endsWith('\n')).toBe(true);
    const records = readJsonLines(file);
    expect(result.rows).toBe(3);
    expect(records).toHaveLength(3);
    expect(Object.keys(records[0]!)).toEqual(Object.keys(CSV_HEADER));
    expect(records[0]).toEqual({
      time: '2026-01-01T00:00:00.000Z',
      client: 'Acme Fake',
      role: 'Backend Engineer',
      candidateName: ZOE.name,
      candidateEmail: ZOE.email,
      linkedin: ZOE.linkedinUrl,
      event: 'request_intro',
      action: 'push.candidate_created',
      outcome: 'ok',
      message: `Created ${ZOE.name}, "the designer", at stage Reached Out\nsecond line`,
      ashbyCandidateId: 'cand-1',
      ashbyApplicationId: 'app-1',
      ashbyRequestId: 'req-1',
      actor: 'engine',
    });
    expect(records[1]?.candidateName).toBe(MISAKI.name);
    expect(records[2]?.candidateName).toBe(JEAN.name);
  });

  it('keeps formula characters in JSON Lines', async () => {
    appendEntries(world.db, clock, [{ action: 'decision', outcome: 'ok', message: '=1+1' }]);
    const file = path.join(world.dir, 'formula.jsonl');
    await exportAudit(world.db, exportOptions({ out: file, format: 'jsonl' }));

    expect(readJsonLines(file)[0]?.message).toBe('=1+1');
  });
});

describe('exportAudit redaction', () => {
  function seedPersonalMessages(): void {
    appendEntries(world.db, clock, [
      {
        clientId: world.clientA,
        candidateId: world.zoe,
        action: 'push.candidate_created',
        outcome: 'ok',
        message: `Created ${ZOE.name} (${ZOE.email}, ${ZOE.linkedinUrl}, ${ZOE.phone}); Zoë confirmed`,
      },
      {
        clientId: world.clientA,
        candidateId: world.misaki,
        action: 'push.candidate_created',
        outcome: 'ok',
        message: `Linked 田中さん by email ${MISAKI.email}`,
      },
      {
        clientId: world.clientB,
        candidateId: world.jean,
        action: 'identity.duplicate',
        outcome: 'skipped',
        message: `Possible duplicate of ${ZOE.email} and https://linkedin.com/in/someone-else; call +33 1 23 45 67 89`,
      },
      {
        clientId: world.clientB,
        candidateId: world.jean,
        action: 'push.candidate_created',
        outcome: 'ok',
        message: `Created ${JEAN.name} at ${JEAN.phone}`,
      },
    ]);
  }

  const originals = [
    ZOE.name,
    'Zoë',
    'Ångström',
    ZOE.email,
    'zoe-angstrom',
    ZOE.phone,
    MISAKI.name,
    '田中',
    '美咲',
    MISAKI.email,
    'JJ',
    "O'Neil",
    JEAN.email,
    'jj-oneil',
    JEAN.phone,
    'someone-else',
    '+33 1 23 45 67 89',
  ];

  it('leaves no personal data in either format', async () => {
    seedPersonalMessages();
    for (const format of ['csv', 'jsonl'] as const) {
      const file = path.join(world.dir, `redacted.${format}`);
      await exportAudit(world.db, exportOptions({ out: file, format, redactPii: true }));
      const text = readFileSync(file, 'utf8');
      for (const original of originals)
        expect(text, `${format}: ${original}`).not.toContain(original);
      // Also not in the CSV's doubled-quote form.
      expect(text).not.toContain('Jean ""JJ""');
    }
  });

  it('keeps pseudonyms stable across exports', async () => {
    seedPersonalMessages();
    const first = path.join(world.dir, 'first.jsonl');
    const second = path.join(world.dir, 'second.jsonl');
    await exportAudit(world.db, exportOptions({ out: first, format: 'jsonl', redactPii: true }));
    await exportAudit(world.db, exportOptions({ out: second, format: 'jsonl', redactPii: true }));

    const a = readJsonLines(first);
    const b = readJsonLines(second);
    for (let index = 0; index < a.length; index += 1) {
      expect(b[index]?.candidateName).toBe(a[index]?.candidateName);
      expect(b[index]?.candidateEmail).toBe(a[index]?.candidateEmail);
      expect(b[index]?.linkedin).toBe(a[index]?.linkedin);
      expect(b[index]?.message).toBe(a[index]?.message);
    }

    const zoeName = a[0]!.candidateName!;
    expect(zoeName).toMatch(/^Person [0-9a-f]{12}$/);
    expect(a[0]?.message.startsWith(`Created ${zoeName} (`)).toBe(true);
    // The other candidate's message names Zoë's email, which gets Zoë's pseudonym email.
    expect(a[2]?.message).toContain(a[0]!.candidateEmail!);
    expect(a[1]?.candidateName).not.toBe(zoeName);
    expect(a[2]?.candidateName).toBe(a[3]?.candidateName);
  });

  it('matches pseudonyms between CSV and JSON Lines', async () => {
    seedPersonalMessages();
    const csvFile = path.join(world.dir, 'r.csv');
    const jsonFile = path.join(world.dir, 'r.jsonl');
    await exportAudit(world.db, exportOptions({ out: csvFile, redactPii: true }));
    await exportAudit(world.db, exportOptions({ out: jsonFile, format: 'jsonl', redactPii: true }));

    const csvNames = parseCsv(csvFile)
      .slice(1, 5)
      .map((row) => row[3]);
    // The JSON Lines export also contains the CSV export's own entry, which has no candidate.
    expect(csvNames).toEqual(
      readJsonLines(jsonFile)
        .slice(0, 4)
        .map((record) => record.candidateName),
    );
  });

  it('derives pseudonyms from a per-folder salt', async () => {
    seedPersonalMessages();
    const file = path.join(world.dir, 'a.jsonl');
    await exportAudit(world.db, exportOptions({ out: file, format: 'jsonl', redactPii: true }));
    const text = readFileSync(file, 'utf8');

    const salt = world.db
      .prepare('SELECT value FROM settings WHERE key = ?')
      .pluck()
      .get(PSEUDONYM_SALT_SETTING);
    expect(JSON.parse(String(salt))).toMatch(/^[0-9a-f]{64}$/);
    const plainHash = createHash('sha256').update(ZOE.email).digest('hex');
    expect(text).not.toContain(plainHash.slice(0, 12));

    // Another data folder has its own salt, so the same person gets another pseudonym.
    const other = openAuditWorld();
    try {
      appendEntries(other.db, clock, [
        { clientId: other.clientA, candidateId: other.zoe, action: 'decision', outcome: 'ok' },
      ]);
      const otherFile = path.join(other.dir, 'b.jsonl');
      await exportAudit(other.db, {
        ...exportOptions({ format: 'jsonl', redactPii: true }),
        out: otherFile,
      });
      expect(readJsonLines(otherFile)[0]?.candidateName).not.toBe(
        readJsonLines(file)[0]?.candidateName,
      );
    } finally {
      other.cleanup();
    }
  });
});

describe('exportAudit records and filters', () => {
  it('appends its own audit entry', async () => {
    seedPeople();
    const file = path.join(world.dir, 'b.csv');
    const result = await exportAudit(
      world.db,
      exportOptions({ out: file, filter: { clientId: world.clientB }, redactPii: true }),
    );

    const [entry] = queryAuditPage(world.db, {}, { limit: 1 }).entries;
    expect(entry?.action).toBe('audit.export');
    expect(entry?.outcome).toBe('ok');
    expect(entry?.actor).toBe('admin');
    expect(entry?.clientId).toBe(world.clientB);
    expect(entry?.message).toBe('Exported 1 audit entry as CSV with personal data redacted');
    expect(JSON.parse(entry?.details ?? 'null')).toEqual({
      filter: { clientId: world.clientB },
      format: 'csv',
      redactPii: true,
      rows: 1,
      bytes: result.bytes,
      destination: 'file',
    });
  });

  it('exports only the filtered entries', async () => {
    seedPeople();
    const file = path.join(world.dir, 'a.jsonl');
    const result = await exportAudit(
      world.db,
      exportOptions({
        out: file,
        format: 'jsonl',
        filter: { clientId: world.clientA, text: 'zoë' },
      }),
    );

    const records = readJsonLines(file);
    expect(result.rows).toBe(1);
    expect(records.map((record) => record.candidateName)).toEqual([ZOE.name]);
  });

  it('includes earlier exports but not itself', async () => {
    seedPeople();
    await exportAudit(
      world.db,
      exportOptions({ out: path.join(world.dir, '1.jsonl'), format: 'jsonl' }),
    );
    const file = path.join(world.dir, '2.jsonl');
    const second = await exportAudit(world.db, exportOptions({ out: file, format: 'jsonl' }));

    expect(second.rows).toBe(4);
    expect(readJsonLines(file).map((record) => record.action)).toEqual([
      'push.candidate_created',
      'push.application_moved',
      'push.archived',
      'audit.export',
    ]);
  });

  it('leaves out entries appended while running', async () => {
    seedPeople();
    const file = path.join(world.dir, 'running.jsonl');
    const result = await exportAudit(
      world.db,
      exportOptions({
        out: file,
        format: 'jsonl',
        chunkRows: 1,
        onProgress: () =>
          appendEntries(world.db, clock, [
            { action: 'decision', outcome: 'ok', message: 'during' },
          ]),
      }),
    );

    expect(result.rows).toBe(3);
    expect(readJsonLines(file).some((record) => record.message === 'during')).toBe(false);
  });

  it('never writes a registered secret', async () => {
    const secret = 'ashby_live_key_0123456789abcdef';
    // Written with plain SQL, as an entry from before the key was registered would be.
    world.db
      .prepare(
        `INSERT INTO audit_log (at, action, outcome, message) VALUES (?, 'decision', 'failed', ?)`,
      )
      .run('2026-01-01T00:00:00.000Z', `request failed with key ${secret}`);
    registerSecret(secret);
    const file = path.join(world.dir, 'secret.csv');
    await exportAudit(world.db, exportOptions({ out: file }));

    expect(readFileSync(file, 'utf8')).not.toContain(secret);
  });
});

describe('exportAudit streaming', () => {
  // A destination that accepts 256 bytes at a time and completes each write on a later turn.
  function slowSink(): { stream: Writable; chunks: Buffer[]; drains: () => number } {
    const chunks: Buffer[] = [];
    let drains = 0;
    const stream = new Writable({
      highWaterMark: 256,
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(Buffer.from(chunk));
        setImmediate(callback);
      },
    });
    stream.on('drain', () => {
      drains += 1;
    });
    return { stream, chunks, drains: () => drains };
  }

  it('waits for a slow destination and writes everything', async () => {
    const entries = Array.from({ length: 300 }, (_, index) => ({
      clientId: world.clientA,
      candidateId: world.zoe,
      action: 'decision',
      outcome: 'ok',
      message: `entry ${index} for ${ZOE.name}`,
    }));
    appendEntries(world.db, clock, entries);
    const sink = slowSink();
    const progress: number[] = [];
    const result = await exportAudit(
      world.db,
      exportOptions({
        out: sink.stream,
        format: 'jsonl',
        chunkRows: 25,
        onProgress: (p) => progress.push(p.rows),
      }),
    );

    const text = Buffer.concat(sink.chunks).toString('utf8');
    expect(result.rows).toBe(300);
    expect(result.bytes).toBe(Buffer.byteLength(text));
    expect(sink.drains()).toBeGreaterThan(0);
    expect(sink.stream.writableFinished).toBe(true);
    // Chunks adapt to the machine's pace but never exceed chunkRows.
    const sizes = progress.map((rows, index) => rows - (progress[index - 1] ?? 0));
    expect(sizes.length).toBeGreaterThanOrEqual(12);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(25);
    expect(progress.at(-1)).toBe(300);
    const messages = text
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as AuditExportRecord).message);
    expect(messages).toEqual(entries.map((entry) => entry.message));
  });

  it('cancels, removes the partial file and records it', async () => {
    appendEntries(
      world.db,
      clock,
      Array.from({ length: 50 }, () => ({ action: 'decision', outcome: 'ok' })),
    );
    const file = path.join(world.dir, 'cancelled.csv');
    const controller = new AbortController();
    const running = exportAudit(
      world.db,
      exportOptions({
        out: file,
        chunkRows: 10,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
    );

    await expect(running).rejects.toThrow();
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.partial`)).toBe(false);
    const [entry] = queryAuditPage(world.db, {}, { limit: 1 }).entries;
    expect(entry?.action).toBe('audit.export');
    expect(entry?.outcome).toBe('cancelled');
    expect(JSON.parse(entry?.details ?? 'null')).toMatchObject({ rows: 10 });
  });

  it('records a failed destination', async () => {
    appendEntries(world.db, clock, [{ action: 'decision', outcome: 'ok' }]);
    const broken = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('disk full'));
      },
    });

    await expect(exportAudit(world.db, exportOptions({ out: broken }))).rejects.toThrow(
      'disk full',
    );
    const [entry] = queryAuditPage(world.db, {}, { limit: 1 }).entries;
    expect(entry?.outcome).toBe('failed');
    expect(entry?.message).toContain('disk full');
  });

  it('writes only the header when nothing matches', async () => {
    const csvFile = path.join(world.dir, 'empty.csv');
    const jsonFile = path.join(world.dir, 'empty.jsonl');

    const csv = await exportAudit(
      world.db,
      exportOptions({ out: csvFile, filter: { outcome: 'none' } }),
    );
    const json = await exportAudit(
      world.db,
      exportOptions({ out: jsonFile, format: 'jsonl', filter: { outcome: 'none' } }),
    );

    expect(csv.rows).toBe(0);
    expect(parseCsv(csvFile)).toEqual([HEADER]);
    expect(json).toEqual({ rows: 0, bytes: 0 });
    expect(readFileSync(jsonFile, 'utf8')).toBe('');
  });

  it('records a missing destination folder', async () => {
    appendEntries(world.db, clock, [{ action: 'decision', outcome: 'ok' }]);
    const file = path.join(world.dir, 'missing', 'export.csv');

    await expect(exportAudit(world.db, exportOptions({ out: file }))).rejects.toThrow(/ENOENT/);
    expect(existsSync(file)).toBe(false);
    const [entry] = queryAuditPage(world.db, {}, { limit: 1 }).entries;
    expect(entry?.action).toBe('audit.export');
    expect(entry?.outcome).toBe('failed');
  });

  it('rejects invalid options before writing', async () => {
    const file = path.join(world.dir, 'never.csv');
    await expect(
      exportAudit(world.db, exportOptions({ out: file, format: 'xlsx' as 'csv' })),
    ).rejects.toThrow();
    await expect(exportAudit(world.db, exportOptions({ out: file, actor: ' ' }))).rejects.toThrow();
    expect(existsSync(file)).toBe(false);
    expect(queryAuditPage(world.db, {}).entries).toEqual([]);
  });
});
