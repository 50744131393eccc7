// Stable pseudonyms for redacted exports. A pseudonym is an HMAC-SHA-256 of the person's identity
// under a random salt kept in this data folder's settings. The same person therefore gets the same
// pseudonym in every export from this folder. A reader without the salt cannot test a guessed
// email against it, as they could against a plain hash.
import { createHmac, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { z } from 'zod';

export const PSEUDONYM_SALT_SETTING = 'audit.pseudonym_salt';
/** Hex digits of the HMAC kept in a pseudonym: 48 bits, so a collision among a million people is about 0.2 % likely. */
const TOKEN_HEX_LENGTH = 12;
/** Pseudonyms remembered per export; the cache is cleared when it reaches this size. */
const CACHE_LIMIT = 100_000;

/**
 * Returns this data folder's pseudonym salt, creating it on first use. Creation never replaces an
 * existing salt, so pseudonyms stay stable even when two exports start at once.
 */
export function loadPseudonymSalt(db: Database.Database): Buffer {
  const created = randomBytes(32).toString('hex');
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(
    PSEUDONYM_SALT_SETTING,
    JSON.stringify(created),
  );
  const stored = db
    .prepare('SELECT value FROM settings WHERE key = ?')
    .pluck()
    .get(PSEUDONYM_SALT_SETTING);
  const salt = z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .parse(JSON.parse(String(stored)));
  return Buffer.from(salt, 'hex');
}

/** The personal fields of one audit row's candidate, as stored. */
export interface PersonFields {
  candidateId: number | null;
  name: string | null;
  email: string | null;
  linkedinUrl: string | null;
  phone: string | null;
}

export interface PersonPseudonyms {
  name: string;
  email: string;
  linkedinUrl: string;
  phone: string;
}

const EMAIL_PATTERN = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const LINKEDIN_PATTERN = /(?:https?:\/\/)?(?:[\w-]+\.)?linkedin\.com\/in\/([^\s/?#"'<>,;)]+)\/?/giu;
// International numbers only (a leading +), because bare digit runs in messages are ids and times.
const PHONE_PATTERN = /\+\d[\d ().-]{5,}\d/g;
// Scripts written without spaces between words, where a name part cannot be matched as a word.
const UNSPACED_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Returns the LinkedIn profile slug of a URL, lower-cased, or null when it has none. */
export function linkedinSlug(url: string): string | null {
  const match = /linkedin\.com\/in\/([^\s/?#]+)/iu.exec(url);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]).toLowerCase();
  } catch {
    // A malformed percent escape is kept as written; it still identifies the profile.
    return match[1].toLowerCase();
  }
}

function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

/** Replaces personal data with pseudonyms derived from one data folder's salt. */
export class Pseudonymizer {
  readonly #salt: Buffer;
  readonly #tokens = new Map<string, string>();

  constructor(salt: Buffer) {
    this.#salt = salt;
  }

  /** Returns the pseudonym token for an identity key such as `email:jane@example.com`. */
  token(identity: string): string {
    const cached = this.#tokens.get(identity);
    if (cached) return cached;
    const token = createHmac('sha256', this.#salt)
      .update(identity, 'utf8')
      .digest('hex')
      .slice(0, TOKEN_HEX_LENGTH);
    if (this.#tokens.size >= CACHE_LIMIT) this.#tokens.clear();
    this.#tokens.set(identity, token);
    return token;
  }

  /**
   * Returns the pseudonyms of one person. The identity is the email, else the LinkedIn profile,
   * else the candidate row, so every column of a person carries the same token.
   */
  person(fields: PersonFields): PersonPseudonyms {
    const token = this.token(personIdentity(fields));
    return pseudonymsFor(token);
  }

  /**
   * Replaces the row's own person and any other email address, LinkedIn profile URL or
   * international phone number in `text`.
   */
  scrubText(text: string, fields: PersonFields): string {
    if (text === '') return text;
    let result = text;
    const hasPerson =
      fields.name !== null ||
      fields.email !== null ||
      fields.linkedinUrl !== null ||
      fields.phone !== null;
    if (hasPerson) {
      const own = this.person(fields);
      result = replaceOwnFields(result, fields, own);
    }
    result = result.replace(EMAIL_PATTERN, (email) => this.#emailPseudonym(email));
    result = result.replace(LINKEDIN_PATTERN, (url: string) => {
      const slug = linkedinSlug(url);
      // A pseudonym URL written by replaceOwnFields is left as it is.
      if (!slug || slug.startsWith('redacted-')) return url;
      return pseudonymsFor(this.token(`linkedin:${slug}`)).linkedinUrl;
    });
    result = result.replace(
      PHONE_PATTERN,
      (phone) => pseudonymsFor(this.token(`phone:${phoneDigits(phone)}`)).phone,
    );
    return result;
  }

  #emailPseudonym(email: string): string {
    // Pseudonym addresses are already redacted; matching them again would change their token.
    if (email.toLowerCase().endsWith('@redacted.invalid')) return email;
    return pseudonymsFor(this.token(`email:${email.trim().toLowerCase()}`)).email;
  }
}

function personIdentity(fields: PersonFields): string {
  const email = fields.email?.trim().toLowerCase();
  if (email) return `email:${email}`;
  const slug = fields.linkedinUrl ? linkedinSlug(fields.linkedinUrl) : null;
  if (slug) return `linkedin:${slug}`;
  if (fields.candidateId !== null) return `candidate:${fields.candidateId}`;
  const phone = fields.phone ? phoneDigits(fields.phone) : '';
  if (phone) return `phone:${phone}`;
  return `name:${(fields.name ?? '').trim().toLowerCase()}`;
}

function pseudonymsFor(token: string): PersonPseudonyms {
  return {
    name: `Person ${token}`,
    // The .invalid top-level domain is reserved (RFC 2606), so no pseudonym is a real address.
    email: `${token}@redacted.invalid`,
    linkedinUrl: `https://www.linkedin.com/in/redacted-${token}`,
    phone: `[phone ${token}]`,
  };
}

const WORD_CHARACTER = /[\p{L}\p{N}]/u;

function isWordCharacterBefore(text: string, index: number): boolean {
  if (index <= 0) return false;
  // Step back over a surrogate pair so a letter outside the BMP is tested whole.
  const from = index >= 2 && /[\udc00-\udfff]/.test(text[index - 1]!) ? index - 2 : index - 1;
  return WORD_CHARACTER.test(text.slice(from, index));
}

function isWordCharacterAt(text: string, index: number): boolean {
  const codePoint = text.codePointAt(index);
  return codePoint !== undefined && WORD_CHARACTER.test(String.fromCodePoint(codePoint));
}

function replaceWithPattern(
  text: string,
  needle: string,
  replacement: string,
  wholeWord: boolean,
): string {
  const pattern = wholeWord
    ? new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(needle)}(?![\\p{L}\\p{N}])`, 'giu')
    : new RegExp(escapeRegExp(needle), 'giu');
  return text.replace(pattern, () => replacement);
}

/**
 * Replaces every case-insensitive occurrence of `needle` in `text`. It searches the lower-cased
 * strings instead of compiling a regular expression, because it runs several times per exported
 * row with a different needle each time.
 */
function replaceLiteral(
  text: string,
  needle: string,
  replacement: string,
  wholeWord: boolean,
): string {
  if (needle === '') return text;
  const lowerText = text.toLowerCase();
  const lowerNeedle = needle.toLowerCase();
  // Lower-casing changes the length of a few characters (İ), which would shift every index.
  if (lowerText.length !== text.length || lowerNeedle.length !== needle.length) {
    return replaceWithPattern(text, needle, replacement, wholeWord);
  }

  let index = lowerText.indexOf(lowerNeedle);
  if (index < 0) return text;
  let result = '';
  let copiedUpTo = 0;
  while (index >= 0) {
    const end = index + needle.length;
    const isWhole = !isWordCharacterBefore(text, index) && !isWordCharacterAt(text, end);
    if (wholeWord && !isWhole) {
      index = lowerText.indexOf(lowerNeedle, index + 1);
      continue;
    }
    result += text.slice(copiedUpTo, index) + replacement;
    copiedUpTo = end;
    index = lowerText.indexOf(lowerNeedle, end);
  }
  return result + text.slice(copiedUpTo);
}

function replaceOwnFields(text: string, fields: PersonFields, own: PersonPseudonyms): string {
  let result = text;
  if (fields.email) result = replaceLiteral(result, fields.email.trim(), own.email, false);
  if (fields.linkedinUrl)
    result = replaceLiteral(result, fields.linkedinUrl.trim(), own.linkedinUrl, false);
  if (fields.phone?.trim()) result = replaceLiteral(result, fields.phone.trim(), own.phone, false);

  const name = fields.name?.trim();
  if (name) {
    result = replaceLiteral(result, name, own.name, false);
    // Parts of the name ("Zoë" alone, or a surname) are replaced too. In scripts written with
    // spaces only whole words match, so a short name part does not rewrite other words.
    for (const part of name.split(/\s+/u)) {
      if ([...part].length < 2) continue;
      result = replaceLiteral(result, part, own.name, !UNSPACED_SCRIPT.test(part));
    }
  }
  return result;
}
