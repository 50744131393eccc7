import { describe, expect, it } from 'vitest';
import { linkedinSlug, Pseudonymizer, type PersonFields } from '../../../core/audit/pseudonyms.js';

const pseudonymizer = new Pseudonymizer(Buffer.alloc(32, 7));

function person(overrides: Partial<PersonFields>): PersonFields {
  return { candidateId: 1, name: null, email: null, linkedinUrl: null, phone: null, ...overrides };
}

describe('Pseudonymizer.scrubText', () => {
  it('replaces name parts only as whole words', () => {
    const ann = person({ name: 'Ann Lee', email: 'ann@example.com' });
    const name = pseudonymizer.person(ann).name;

    expect(pseudonymizer.scrubText('Annual review for ANN LEE; Ann agreed', ann)).toBe(
      `Annual review for ${name}; ${name} agreed`,
    );
    expect(pseudonymizer.scrubText('Sleek design by Lee', ann)).toBe(`Sleek design by ${name}`);
  });

  it('replaces CJK name parts inside words', () => {
    const misaki = person({ name: '田中 美咲', email: 'm@example.jp' });
    const name = pseudonymizer.person(misaki).name;

    expect(pseudonymizer.scrubText('田中さんに連絡しました', misaki)).toBe(
      `${name}さんに連絡しました`,
    );
  });

  it('handles characters that change length when lower-cased', () => {
    const ilke = person({ name: 'İlke Şahin', email: 'ilke@example.com' });
    const name = pseudonymizer.person(ilke).name;

    expect(pseudonymizer.scrubText('Created İlke Şahin', ilke)).toBe(`Created ${name}`);
  });

  it('handles names outside the Basic Multilingual Plane', () => {
    const yoshi = person({ name: '𠮷野 太郎', email: 'y@example.jp' });
    const name = pseudonymizer.person(yoshi).name;

    expect(pseudonymizer.scrubText('𠮷野 太郎 linked', yoshi)).toBe(`${name} linked`);
  });

  it('keeps replacement text literal', () => {
    const dollar = person({ name: 'Jo Dollar', email: 'jo@example.com' });

    expect(pseudonymizer.scrubText("Jo Dollar paid $&'s fee", dollar)).toBe(
      `${pseudonymizer.person(dollar).name} paid $&'s fee`,
    );
  });

  it('gives other people their own pseudonyms', () => {
    const jane = person({ name: 'Jane Roe', email: 'jane@example.com' });
    const text = pseudonymizer.scrubText(
      'Duplicate of other@example.com and https://www.linkedin.com/in/Other-Person/',
      jane,
    );

    expect(text).not.toContain('other@example.com');
    expect(text).not.toContain('Other-Person');
    expect(text).not.toContain(pseudonymizer.person(jane).email);
    expect(text).toMatch(
      /^Duplicate of [0-9a-f]{12}@redacted\.invalid and https:\/\/www\.linkedin\.com\/in\/redacted-[0-9a-f]{12}$/,
    );
  });

  it('leaves ids and times that look numeric', () => {
    const text =
      'Request 3fa85f64-5717-4562-b3fc-2c963f66afa6 at 2026-01-01T10:00:00Z took 1500 ms';

    expect(pseudonymizer.scrubText(text, person({}))).toBe(text);
  });
});

describe('Pseudonymizer.person', () => {
  it('keys a person by email ignoring case', () => {
    const a = pseudonymizer.person(
      person({ candidateId: 1, email: 'Jane@Example.com', name: 'Jane' }),
    );
    const b = pseudonymizer.person(
      person({ candidateId: 2, email: 'jane@example.com', name: 'J. Roe' }),
    );

    expect(a).toEqual(b);
  });

  it('falls back to LinkedIn, then the candidate row', () => {
    const byLinkedin = pseudonymizer.person(
      person({ candidateId: 1, linkedinUrl: 'https://linkedin.com/in/Jane-Roe' }),
    );
    const sameLinkedin = pseudonymizer.person(
      person({ candidateId: 2, linkedinUrl: 'https://www.linkedin.com/in/jane-roe/' }),
    );
    const byRow = pseudonymizer.person(person({ candidateId: 3, name: 'Jane Roe' }));

    expect(byLinkedin).toEqual(sameLinkedin);
    expect(byRow).not.toEqual(byLinkedin);
  });

  it('differs with another salt', () => {
    const other = new Pseudonymizer(Buffer.alloc(32, 8));
    const jane = person({ email: 'jane@example.com' });

    expect(other.person(jane).name).not.toBe(pseudonymizer.person(jane).name);
  });
});

describe('linkedinSlug', () => {
  it('extracts and lower-cases the profile slug', () => {
    expect(linkedinSlug('https://www.linkedin.com/in/Zo%C3%AB-Angstrom/?trk=x')).toBe(
      'zoë-angstrom',
    );
    expect(linkedinSlug('linkedin.com/in/abc')).toBe('abc');
    expect(linkedinSlug('https://example.com/in/abc')).toBeNull();
  });
});
