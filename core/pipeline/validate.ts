// Field checks for one pipeline row. Resume files are checked separately (they need I/O).
import { PIPELINE_STATES, type PipelineState } from '../../shared/domain.js';
import { canonicalLinkedIn, normalizeEmail } from '../engine/identity.js';
import {
  CSV_FIELD_NAMES,
  JSON_FIELD_NAMES,
  locationFields,
  type PipelineFormat,
  type RawPipelineRow,
  type RejectedRow,
  type RejectionCode,
  type RowField,
} from './format.js';

/** A row whose fields passed every check, with identity keys derived. */
export interface ValidRow {
  roleId: string;
  roleTitle: string;
  candidateId: string;
  name: string;
  email: string | null;
  emailKey: string | null;
  linkedinUrl: string | null;
  linkedinSlug: string | null;
  phone: string | null;
  /** The resume path exactly as the file gives it; null when the row names none. */
  resumePath: string | null;
  state: PipelineState;
  /** Normalised to ISO-8601 UTC with milliseconds, so stored values compare as strings. */
  stateChangedAt: string;
}

export type RowValidation = { ok: true; row: ValidRow } | { ok: false; rejected: RejectedRow[] };

const STATE_SET: ReadonlySet<string> = new Set(PIPELINE_STATES);

// RFC 3339 date-time: a date, a time and a zone (Z or an offset). Date-only values are rejected
// because they would compare ambiguously with timestamps stored in UTC.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})$/;

// The form normalizeDateTime returns. An export usually writes its dates this way already.
const ISO_UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Parses an RFC 3339 date-time and returns it as ISO-8601 UTC, or null when it is not one. */
export function normalizeDateTime(value: string): string | null {
  const text = value.trim();
  const match = DATE_TIME.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (Number(match[4]) > 23 || Number(match[5]) > 59 || Number(match[6] ?? 0) > 59) return null;
  if (ISO_UTC_MILLIS.test(text)) return text;
  const millis = Date.parse(text.replace(' ', 'T'));
  if (Number.isNaN(millis)) return null;
  return new Date(millis).toISOString();
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/**
 * Checks every field of a row and derives the identity keys. Each problem becomes its own
 * rejection entry, so a user can fix a row in one pass.
 */
export function validateRow(raw: RawPipelineRow, format: PipelineFormat): RowValidation {
  const fieldNames = format === 'csv' ? CSV_FIELD_NAMES : JSON_FIELD_NAMES;
  const rejected: RejectedRow[] = [];
  const reject = (field: RowField, code: RejectionCode, reason: string, value: unknown = raw[field]): void => {
    rejected.push({ ...locationFields(raw.location), field: fieldNames[field], value: value ?? null, code, reason });
  };

  // Optional text fields: missing or blank means absent; anything but a string is a type error.
  const text = (field: RowField): string | null => {
    const value = raw[field];
    if (isBlank(value)) return null;
    if (typeof value === 'string') return value.trim();
    if (typeof value === 'number' && (field === 'roleId' || field === 'candidateId' || field === 'phone')) {
      return String(value);
    }
    reject(field, 'invalid_type', `${fieldNames[field]} must be a string, found ${typeof value}`);
    return null;
  };

  const roleId = text('roleId');
  const roleTitle = text('roleTitle');
  const candidateId = text('candidateId');
  const name = text('name');
  const emailText = text('email');
  const linkedinText = text('linkedinUrl');
  const phone = text('phone');
  const resumePath = text('resume');
  const stateText = text('state');
  const dateText = text('stateChangedAt');

  if (roleId === null && isBlank(raw.roleId)) reject('roleId', 'missing_field', 'role id is missing');
  if (roleTitle === null && isBlank(raw.roleTitle)) reject('roleTitle', 'missing_field', 'role title is missing');
  if (candidateId === null && isBlank(raw.candidateId)) {
    reject('candidateId', 'missing_field', 'candidate id is missing');
  }
  if (name === null && isBlank(raw.name)) reject('name', 'missing_name', 'candidate has no name');

  let email: string | null = null;
  let emailKey: string | null = null;
  if (emailText !== null) {
    const result = normalizeEmail(emailText);
    if (result.ok) {
      email = result.email;
      emailKey = result.key;
    } else {
      reject('email', 'invalid_email', `invalid email: ${result.reason}`);
    }
  }

  let linkedinUrl: string | null = null;
  let linkedinSlug: string | null = null;
  if (linkedinText !== null) {
    const result = canonicalLinkedIn(linkedinText);
    if (result.ok) {
      linkedinUrl = result.url;
      linkedinSlug = result.slug;
    } else {
      reject('linkedinUrl', 'invalid_linkedin', `invalid LinkedIn URL: ${result.reason}`);
    }
  }

  if (isBlank(raw.email) && isBlank(raw.linkedinUrl)) {
    reject(
      'email',
      'missing_identity',
      `candidate has no email and no LinkedIn URL; give at least one (${fieldNames.email} or ${fieldNames.linkedinUrl}) so the candidate can be matched in Ashby`,
    );
  }

  let state: PipelineState | null = null;
  if (stateText === null) {
    if (isBlank(raw.state)) reject('state', 'unknown_state', `state is missing; use one of ${PIPELINE_STATES.join(', ')}`);
  } else if (STATE_SET.has(stateText)) {
    state = stateText as PipelineState;
  } else {
    reject('state', 'unknown_state', `unknown state "${stateText}"; use one of ${PIPELINE_STATES.join(', ')}`);
  }

  let stateChangedAt: string | null = null;
  if (dateText === null) {
    if (isBlank(raw.stateChangedAt)) {
      reject('stateChangedAt', 'invalid_date', `${fieldNames.stateChangedAt} is missing; give an ISO-8601 date-time with a time zone`);
    }
  } else {
    stateChangedAt = normalizeDateTime(dateText);
    if (stateChangedAt === null) {
      reject(
        'stateChangedAt',
        'invalid_date',
        `invalid date "${dateText}"; use an ISO-8601 date-time with a time zone, for example 2025-03-14T09:30:00Z`,
      );
    }
  }

  if (
    rejected.length > 0 ||
    roleId === null ||
    roleTitle === null ||
    candidateId === null ||
    name === null ||
    state === null ||
    stateChangedAt === null
  ) {
    return { ok: false, rejected };
  }
  return {
    ok: true,
    row: {
      roleId,
      roleTitle,
      candidateId,
      name,
      email,
      emailKey,
      linkedinUrl,
      linkedinSlug,
      phone,
      resumePath,
      state,
      stateChangedAt,
    },
  };
}
