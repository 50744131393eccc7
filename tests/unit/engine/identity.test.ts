import { describe, expect, it } from 'vitest';
import { canonicalLinkedIn, normalizeEmail } from '../../../core/engine/identity.js';

function emailKeyOf(raw: string): string {
  const result = normalizeEmail(raw);
  if (!result.ok) throw new Error(`expected a valid email, got: ${result.reason}`);
  return result.key;
}

function slugOf(raw: string): string {
  const result = canonicalLinkedIn(raw);
  if (!result.ok) throw new Error(`expected a valid LinkedIn URL, got: ${result.reason}`);
  return result.slug;
}

describe('normalizeEmail', () => {
  it('keeps the trimmed value as given', () => {
    const result = normalizeEmail('  Jane.Roe@Example.COM \t');
    expect(result).toEqual({
      ok: true,
      email: 'Jane.Roe@Example.COM',
      key: 'jane.roe@example.com',
    });
  });

  it('compares case-insensitively', () => {
    expect(emailKeyOf('Jane.Roe@Example.COM')).toBe(emailKeyOf('jane.roe@example.com'));
    expect(emailKeyOf('A@example.com')).toBe(emailKeyOf('a@example.com'));
  });

  it('keeps dots and tags on ordinary domains', () => {
    expect(emailKeyOf('jane.roe@acme.example')).not.toBe(emailKeyOf('janeroe@acme.example'));
    expect(emailKeyOf('jane+x@acme.example')).toBe('jane+x@acme.example');
  });

  it('applies Google Mail equivalences', () => {
    expect(emailKeyOf('Jane.Roe+jobs@gmail.com')).toBe('janeroe@gmail.com');
    expect(emailKeyOf('j.a.n.e.roe@googlemail.com')).toBe('janeroe@gmail.com');
    expect(emailKeyOf('JANEROE@GMail.com')).toBe('janeroe@gmail.com');
  });

  it.each([
    ['not-an-email', 'no @'],
    ['', 'empty'],
    ['   ', 'empty'],
    ['@example.com', 'nothing before the @'],
    ['jane@', 'no domain'],
    ['jane@localhost', 'without a dot'],
    ['jane roe@example.com', 'whitespace'],
    ['jane..roe@example.com', 'invalid local part'],
    ['.jane@example.com', 'invalid local part'],
    ['jane@-example.com', 'invalid domain'],
    ['jane@example..com', 'invalid domain'],
    ['jane@example.123', 'top-level domain'],
    ['jane@@example.com', 'invalid local part'],
    [`${'a'.repeat(65)}@example.com`, 'longer than 64'],
  ])('rejects %j', (raw, fragment) => {
    const result = normalizeEmail(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(fragment);
  });

  it('rejects a missing value', () => {
    expect(normalizeEmail(null).ok).toBe(false);
    expect(normalizeEmail(undefined).ok).toBe(false);
  });
});

describe('canonicalLinkedIn', () => {
  it.each([
    'https://www.linkedin.com/in/jane-roe-fake-01/',
    'https://linkedin.com/in/jane-roe-fake-01',
    'http://WWW.LinkedIn.com/in/Jane-Roe-Fake-01?trk=public_profile',
    'linkedin.com/in/jane-roe-fake-01',
    'www.linkedin.com/in/jane-roe-fake-01/',
    'in/jane-roe-fake-01',
    '/in/jane-roe-fake-01/',
    'IN/Jane-Roe-Fake-01',
    'https://uk.linkedin.com/in/jane-roe-fake-01',
    'https://de.linkedin.com/in/jane-roe-fake-01#about',
    'https://m.linkedin.com/in/jane-roe-fake-01/details/experience/',
    'https://www.linkedin.com/in/jane%2Droe%2Dfake%2D01',
    '  https://www.linkedin.com/in/jane-roe-fake-01  ',
  ])('reads %j as jane-roe-fake-01', (raw) => {
    expect(slugOf(raw)).toBe('jane-roe-fake-01');
  });

  it('returns one canonical URL', () => {
    const result = canonicalLinkedIn('in/jane-roe-fake-01');
    expect(result).toEqual({
      ok: true,
      slug: 'jane-roe-fake-01',
      url: 'https://www.linkedin.com/in/jane-roe-fake-01',
    });
  });

  it('never doubles the /in/ segment', () => {
    for (const raw of [
      'in/jane-roe-fake-01',
      'linkedin.com/in/jane-roe-fake-01',
      '/in/jane-roe-fake-01',
    ]) {
      const result = canonicalLinkedIn(raw);
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.url).not.toContain('/in/in/');
    }
  });

  it('decodes percent-encoded non-Latin slugs', () => {
    const encoded = `https://www.linkedin.com/in/${encodeURIComponent('Zoë-Ångström')}/`;
    const result = canonicalLinkedIn(encoded);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.slug).toBe('zoë-ångström');
    expect(result.url).toBe(`https://www.linkedin.com/in/${encodeURIComponent('zoë-ångström')}`);
    expect(canonicalLinkedIn(result.url)).toEqual(result);
  });

  it.each([
    ['https://example.com/in/jane', 'not a linkedin.com address'],
    ['https://www.linkedin.com/company/acme', 'not a LinkedIn profile link'],
    ['https://www.linkedin.com/in/', 'no profile name'],
    ['https://www.linkedin.com/in/in/jane', 'repeats /in/'],
    ['https://www.linkedin.com/in/jane%ZZ', 'percent-encoding'],
    ['https://www.linkedin.com/in/jane.roe', 'invalid profile name'],
    ['https://notlinkedin.com/in/jane', 'not a linkedin.com address'],
    ['', 'empty'],
    ['jane-roe', 'not a linkedin.com address'],
  ])('rejects %j', (raw, fragment) => {
    const result = canonicalLinkedIn(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(fragment);
  });
});
