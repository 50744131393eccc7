// Kills a real process in the middle of an import and checks what the next process finds: the
// previous data whole when the kill came before the commit, and the import finished after it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/log/logger.js';
import { importPipelineFile } from '../../../core/pipeline/import.js';
import { finishInterruptedImports } from '../../../core/pipeline/journal.js';
import { openDatabase } from '../../../core/store/db.js';
import { createClient } from '../../../core/store/repo/clients.js';

const HEADER = 'role_id,role_title,candidate_id,name,email,linkedin_url,phone,resume_path,state,state_changed_at';
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'import-then-crash.ts');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function exportText(count: number, state: string, at: string): string {
  const rows = Array.from({ length: count }, (_, index) => `r1,Backend,c${index},Person ${index},p${index}@example.com,,,,${state},${at}`);
  return `${HEADER}\n${rows.join('\n')}\n`;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pipeline-crash-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Imports 3,000 shortlisted candidates, then runs a second import of them as hired in a child killed in `phase`. */
async function importThenCrash(phase: 'reading' | 'writing') {
  const dataDir = path.join(dir, 'data');
  const dbFile = path.join(dataDir, 'console.sqlite');
  const db = openDatabase({ file: dbFile, clock: { now: () => Date.UTC(2026, 11, 1) } });
  const client = createClient(db, { now: () => Date.UTC(2026, 11, 1) }, { name: 'Acme Health', baseUrl: 'http://127.0.0.1:1' });
  const first = path.join(dir, 'first.csv');
  writeFileSync(first, exportText(3000, 'shortlisted', '2026-11-01T10:00:00Z'));
  await importPipelineFile(db, { clock: { now: () => Date.UTC(2026, 11, 1) }, clientId: client.id, file: first, dataDir });
  db.close();

  const second = path.join(dir, 'second.csv');
  writeFileSync(second, exportText(3000, 'hired', '2026-11-09T10:00:00Z'));
  const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, dbFile, dataDir, String(client.id), second, phase], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.signal, child.stderr).toBe('SIGKILL');
  expect(child.stdout).toContain(`${phase} 1000`);
  return dbFile;
}

function count(db: ReturnType<typeof openDatabase>, sql: string): number {
  return (db.prepare(sql).get() as { n: number }).n;
}

describe('import crash', () => {
  it('crash while reading keeps old data', async () => {
    const dbFile = await importThenCrash('reading');
    // A day later: the heartbeat of the killed import has long expired.
    const clock = { now: () => Date.UTC(2026, 11, 3) };
    const reopened = openDatabase({ file: dbFile, clock });
    try {
      const states = reopened.prepare('SELECT state, count(*) AS n FROM candidates GROUP BY state').all();
      expect(states).toEqual([{ state: 'shortlisted', n: 3000 }]);
      expect(await finishInterruptedImports(reopened, clock, createLogger('crash-test'))).toBe(0);
      expect(count(reopened, 'SELECT count(*) AS n FROM imports')).toBe(0);
      expect(count(reopened, 'SELECT count(*) AS n FROM import_rows')).toBe(0);
      expect(count(reopened, "SELECT count(*) AS n FROM outbox WHERE event = 'hire'")).toBe(0);
      expect(count(reopened, "SELECT count(*) AS n FROM audit_log WHERE action = 'pipeline.import'")).toBe(1);
      expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      reopened.close();
    }
  });

  it('crash while writing finishes on reopen', async () => {
    const dbFile = await importThenCrash('writing');
    const clock = { now: () => Date.UTC(2026, 11, 3) };
    const reopened = openDatabase({ file: dbFile, clock });
    try {
      // The killed process had committed: some rows are written, the rest wait in the journal.
      const hired = count(reopened, "SELECT count(*) AS n FROM candidates WHERE state = 'hired'");
      expect(hired).toBeGreaterThanOrEqual(1000);
      expect(hired).toBeLessThan(3000);
      expect(count(reopened, 'SELECT count(*) AS n FROM import_rows')).toBe(3000 - hired);

      expect(await finishInterruptedImports(reopened, clock, createLogger('crash-test'))).toBe(1);
      const states = reopened.prepare('SELECT state, count(*) AS n FROM candidates GROUP BY state').all();
      expect(states).toEqual([{ state: 'hired', n: 3000 }]);
      // One hire event per candidate: rows written before the kill are not written again.
      expect(count(reopened, "SELECT count(*) AS n FROM outbox WHERE event = 'hire'")).toBe(3000);
      expect(count(reopened, "SELECT count(DISTINCT candidate_id) AS n FROM outbox WHERE event = 'hire'")).toBe(3000);
      expect(count(reopened, 'SELECT count(*) AS n FROM imports')).toBe(0);
      expect(count(reopened, 'SELECT count(*) AS n FROM import_rows')).toBe(0);
      const audit = reopened.prepare("SELECT message FROM audit_log WHERE action = 'pipeline.import' ORDER BY id").all() as { message: string }[];
      expect(audit).toHaveLength(2);
      expect(audit[1]?.message).toContain('3000 updated');
      expect(audit[1]?.message).toContain('finished after the console restarted');
      expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      reopened.close();
    }
  });
});
