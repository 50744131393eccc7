import { describe, expect, it } from 'vitest';
import { normalizeDateTime } from '../../../core/pipeline/validate.js';

describe('normalizeDateTime', () => {
  it('keeps a date-time already in ISO-8601 UTC with milliseconds', () => {
    expect(normalizeDateTime('2026-03-14T09:30:00.120Z')).toBe('2026-03-14T09:30:00.120Z');
    expect(normalizeDateTime('  2026-03-14T09:30:00.120Z ')).toBe('2026-03-14T09:30:00.120Z');
  });

  it('converts other RFC 3339 forms to UTC with milliseconds', () => {
    expect(normalizeDateTime('2026-03-14T09:30:00+02:00')).toBe('2026-03-14T07:30:00.000Z');
    expect(normalizeDateTime('2026-03-14 09:30Z')).toBe('2026-03-14T09:30:00.000Z');
    expect(normalizeDateTime('2026-03-14t09:30:00.5z')).toBe('2026-03-14T09:30:00.500Z');
    expect(normalizeDateTime('2026-12-31T23:30:00-01:00')).toBe('2027-01-01T00:30:00.000Z');
  });

  it('accepts 29 February only in leap years', () => {
    expect(normalizeDateTime('2028-02-29T00:00:00.000Z')).toBe('2028-02-29T00:00:00.000Z');
    expect(normalizeDateTime('2000-02-29T00:00:00Z')).toBe('2000-02-29T00:00:00.000Z');
    expect(normalizeDateTime('2026-02-29T00:00:00.000Z')).toBeNull();
    expect(normalizeDateTime('2100-02-29T00:00:00.000Z')).toBeNull();
  });

  it('rejects invalid date-times', () => {
    for (const value of [
      '2026-04-31T10:00:00.000Z',
      '2026-13-01T10:00:00.000Z',
      '2026-00-10T10:00:00Z',
      '2026-11-00T10:00:00Z',
      '2026-11-01T24:00:00.000Z',
      '2026-11-01T10:60:00Z',
      '2026-11-01T10:00:60Z',
      '2026-11-01',
      '2026-11-01T10:00:00',
      'yesterday',
    ]) {
      expect(normalizeDateTime(value), value).toBeNull();
    }
  });
});
