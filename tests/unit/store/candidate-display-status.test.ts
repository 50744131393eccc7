// The display status splits "in Ashby, not on this job" (stored as not_in_ashby with an Ashby
// candidate id) from candidates Ashby does not have, in the pipeline filter and the role counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCandidate, listCandidates, updateCandidateLink } from '../../../core/store/repo/candidates.js';
import { createClient } from '../../../core/store/repo/clients.js';
import { upsertRole } from '../../../core/store/repo/roles.js';
import { openTempDatabase, steppingClock } from './helpers.js';

const clock = steppingClock('2026-01-01T00:00:00.000Z', 1);
let temp: ReturnType<typeof openTempDatabase>;
let roleId: number;

beforeAll(() => {
  temp = openTempDatabase(clock);
  const clientId = createClient(temp.db, clock, { name: 'Acme Fake', baseUrl: 'https://api.ashbyhq.com' }).id;
  roleId = upsertRole(temp.db, clock, { clientId, externalId: 'role-1', title: 'Engineer' }).id;
  const add = (name: string) => insertCandidate(temp.db, clock, { clientId, roleId, externalId: name, name, state: 'shortlisted' }).id;
  updateCandidateLink(temp.db, clock, add('Linked'), { ashbyStatus: 'linked', ashbyCandidateId: 'ashby-1' });
  updateCandidateLink(temp.db, clock, add('Elsewhere'), { ashbyStatus: 'not_in_ashby', ashbyCandidateId: 'ashby-2' });
  updateCandidateLink(temp.db, clock, add('Absent'), { ashbyStatus: 'not_in_ashby' });
  add('Unchecked');
});

afterAll(() => {
  temp.cleanup();
});

describe('candidate display status', () => {
  const names = (statuses: Parameters<typeof listCandidates>[1]['ashbyStatuses']) =>
    listCandidates(temp.db, { roleId, ...(statuses === undefined ? {} : { ashbyStatuses: statuses }) }).items.map((candidate) => candidate.name);

  it('not in Ashby leaves out found people', () => {
    expect(names(['not_in_ashby'])).toEqual(['Absent']);
  });

  it('filters in Ashby, not on job', () => {
    expect(names(['in_ashby_not_on_job'])).toEqual(['Elsewhere']);
  });

  it('rows carry the display status', () => {
    const rows = listCandidates(temp.db, { roleId }).items;
    const byName = Object.fromEntries(rows.map((candidate) => [candidate.name, candidate.ashbyDisplayStatus]));
    expect(byName).toEqual({ Absent: 'not_in_ashby', Elsewhere: 'in_ashby_not_on_job', Linked: 'linked', Unchecked: 'unknown' });
  });
});
