// Kills a real process in the middle of an import's transaction and checks that the database
// reopens with the previous import whole.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importPipelineFile } from '../../../core/pipeline/import.js';
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

describe('import crash', () => {
  it('leaves the previous data whole', async () => {
    const dataDir = path.join(dir, 'data');
    const dbFile = path.join(dataDir, 'console.sqlite');
    const clock = { now: () => Date.UTC(2026, 11, 1) };
    const db = openDatabase({ file: dbFile, clock });
    const client = createClient(db, clock, { name: 'Acme Health', baseUrl: 'http://127.0.0.1:1' });
    const first = path.join(dir, 'first.csv');
    writeFileSync(first, exportText(3000, 'shortlisted', '2026-11-01T10:00:00Z'));
    await importPipelineFile(db, { clock, clientId: client.id, file: first, dataDir });
    db.close();

    const second = path.join(dir, 'second.csv');
    writeFileSync(second, exportText(3000, 'hired', '2026-11-09T10:00:00Z'));
    const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, dbFile, dataDir, String(client.id), second], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    expect(child.stdout).toContain('writing 1000');

    const reopened = openDatabase({ file: dbFile, clock });
    try {
      const states = reopened.prepare('SELECT state, count(*) AS n FROM candidates GROUP BY state').all();
      expect(states).toEqual([{ state: 'shortlisted', n: 3000 }]);
      expect(reopened.prepare("SELECT count(*) AS n FROM outbox WHERE event = 'hire'").get()).toEqual({ n: 0 });
      expect(reopened.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 3000 });
      expect(reopened.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'pipeline.import'").get()).toEqual({ n: 1 });
      expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      reopened.close();
    }
  });
});
