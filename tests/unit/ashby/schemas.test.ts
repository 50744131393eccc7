import { describe, expect, it } from 'vitest';
import { Application, Candidate, ErrorEnvelope, Job, listEnvelope, Source, successEnvelope } from '../../../core/ashby/schemas.js';

describe('Ashby schemas', () => {
  it('keeps fields Ashby adds later', () => {
    const parsed = Source.parse({ id: 's1', title: 'LinkedIn', isArchived: false, brandNewField: { nested: 1 } });
    expect(parsed).toMatchObject({ brandNewField: { nested: 1 } });
  });

  it('accepts null for optional fields', () => {
    const parsed = Candidate.parse({
      id: 'c1',
      name: 'Jane Roe',
      primaryEmailAddress: null,
      source: null,
      creditedToUser: null,
      timezone: null,
      fraudStatus: null,
      emailAddresses: null,
      profileUrl: null,
    });
    expect(parsed.source).toBeNull();
    expect(parsed.emailAddresses).toEqual([]);
  });

  it('fills omitted candidate arrays', () => {
    const parsed = Candidate.parse({ id: 'c1', name: 'Jane Roe' });
    expect(parsed.applicationIds).toEqual([]);
    expect(parsed.socialLinks).toEqual([]);
    expect(parsed.fileHandles).toEqual([]);
  });

  it('accepts a trimmed application', () => {
    const parsed = Application.parse({
      id: 'a1',
      candidate: { id: 'c1' },
      status: 'Active',
      currentInterviewStage: { id: 'st1' },
      source: { id: 's1', title: 'LinkedIn' },
      job: { id: 'j1' },
    });
    expect(parsed.currentInterviewStage?.id).toBe('st1');
  });

  it('rejects an unknown application status', () => {
    expect(Application.safeParse({ id: 'a1', candidate: { id: 'c1' }, status: 'Maybe', job: { id: 'j1' } }).success).toBe(false);
  });

  it('requires a job title and status', () => {
    expect(Job.safeParse({ id: 'j1', status: 'Open' }).success).toBe(false);
    expect(Job.safeParse({ id: 'j1', title: 'Engineer', status: 'Open' }).success).toBe(true);
  });

  it('accepts list envelopes without cursors', () => {
    const parsed = listEnvelope(Source).parse({ success: true, results: [] });
    expect(parsed.moreDataAvailable).toBeUndefined();
  });

  it('builds each envelope once per schema', () => {
    expect(successEnvelope(Candidate)).toBe(successEnvelope(Candidate));
    expect(listEnvelope(Candidate)).toBe(listEnvelope(Candidate));
    expect(listEnvelope(Source)).not.toBe(listEnvelope(Candidate));
    expect(successEnvelope(Source).safeParse({ success: true, results: { id: 's1', title: 'LinkedIn' } }).success).toBe(true);
  });

  it('accepts both errors entry forms', () => {
    expect(ErrorEnvelope.safeParse({ success: false, errors: ['x'] }).success).toBe(true);
    expect(ErrorEnvelope.safeParse({ success: false, errors: [{ message: 'm', parameter: 'p' }] }).success).toBe(true);
  });
});
