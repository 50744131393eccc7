import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importPipelineFile } from '../../../core/pipeline/import.js';
import { findCandidateByReference, findRoleByReference } from '../../../core/pipeline/lookup.js';
import { createClient } from '../../../core/store/repo/clients.js';
import { candidateRow, createFixture, csv, type PipelineFixture } from './helpers.js';

let fixture: PipelineFixture;
beforeEach(async () => {
  fixture = createFixture();
  const file = fixture.write(
    'a.csv',
    csv(
      'jj-role-7,Backend,jj-cand-1,Ada,ada@example.com,,,,shortlisted,2026-11-01T10:00:00Z',
      // An export id that looks like a console id.
      'jj-role-7,Backend,1,Grace,grace@example.com,,,,shortlisted,2026-11-01T10:00:00Z',
    ),
  );
  await importPipelineFile(fixture.db, { clock: fixture.clock, clientId: fixture.clientId, file, dataDir: fixture.dataDir });
});
afterEach(() => fixture.cleanup());

describe('reference lookup', () => {
  it('finds a role by either id', () => {
    const byExport = findRoleByReference(fixture.db, fixture.clientId, 'jj-role-7');
    expect(byExport?.title).toBe('Backend');
    expect(findRoleByReference(fixture.db, fixture.clientId, String(byExport?.id))?.externalId).toBe('jj-role-7');
    expect(findRoleByReference(fixture.db, fixture.clientId, 'jj-role-8')).toBeNull();
  });

  it('ignores another client role', () => {
    const other = createClient(fixture.db, fixture.clock, { name: 'Acme Health', baseUrl: 'http://127.0.0.1:1' });
    const role = findRoleByReference(fixture.db, fixture.clientId, 'jj-role-7');
    expect(findRoleByReference(fixture.db, other.id, String(role?.id))).toBeNull();
    expect(findRoleByReference(fixture.db, other.id, 'jj-role-7')).toBeNull();
  });

  it('finds a candidate by either id', () => {
    const role = findRoleByReference(fixture.db, fixture.clientId, 'jj-role-7');
    const roleId = role?.id ?? -1;
    const ada = candidateRow(fixture.db, 'jj-cand-1');
    expect(findCandidateByReference(fixture.db, roleId, 'jj-cand-1')?.name).toBe('Ada');
    expect(findCandidateByReference(fixture.db, roleId, String(ada?.id))?.name).toBe('Ada');
    expect(findCandidateByReference(fixture.db, roleId, 'nobody')).toBeNull();
  });

  it('prefers the console id', () => {
    const roleId = findRoleByReference(fixture.db, fixture.clientId, 'jj-role-7')?.id ?? -1;
    // Ada has console id 1 and Grace has export id "1".
    expect(candidateRow(fixture.db, 'jj-cand-1')?.id).toBe(1);
    expect(findCandidateByReference(fixture.db, roleId, '1')?.name).toBe('Ada');
  });
});
