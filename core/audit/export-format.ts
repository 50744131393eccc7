// The exported columns and how one chunk of audit rows becomes CSV or JSON Lines text.
import { stringify } from 'csv-stringify/sync';
import { scrubSecrets } from '../log/logger.js';
import type { Pseudonymizer } from './pseudonyms.js';
import type { AuditEntryView } from './query.js';

export const AUDIT_EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

/** One exported entry; the keys are the JSON Lines field names, in column order. */
export interface AuditExportRecord {
  time: string;
  client: string | null;
  role: string | null;
  candidateName: string | null;
  candidateEmail: string | null;
  linkedin: string | null;
  event: string | null;
  action: string;
  outcome: string;
  message: string;
  ashbyCandidateId: string | null;
  ashbyApplicationId: string | null;
  ashbyRequestId: string | null;
  actor: string;
}

/** CSV header cells, one per AuditExportRecord key in the same order. */
export const CSV_HEADER: Record<keyof AuditExportRecord, string> = {
  time: 'Time',
  client: 'Client',
  role: 'Role',
  candidateName: 'Candidate name',
  candidateEmail: 'Candidate email',
  linkedin: 'LinkedIn',
  event: 'Event',
  action: 'Action',
  outcome: 'Outcome',
  message: 'Message',
  ashbyCandidateId: 'Ashby candidate id',
  ashbyApplicationId: 'Ashby application id',
  ashbyRequestId: 'Ashby request id',
  actor: 'Actor',
};
const COLUMN_KEYS = Object.keys(CSV_HEADER) as (keyof AuditExportRecord)[];

export const UTF8_BOM = '\uFEFF';

/**
 * Spreadsheets (Excel, LibreOffice, Google Sheets) run a cell starting with one of these as a
 * formula, so such a cell is prefixed with an apostrophe, which they show as text (OWASP "CSV
 * Injection").
 */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

export function neutraliseFormula(cell: string): string {
  return FORMULA_TRIGGER.test(cell) ? `'${cell}` : cell;
}

function scrubNullable(value: string | null): string | null {
  return value === null ? null : scrubSecrets(value);
}

/** Maps one entry to its exported form, with personal data replaced when `pseudonymizer` is set. */
export function toExportRecord(
  entry: AuditEntryView,
  pseudonymizer: Pseudonymizer | null,
): AuditExportRecord {
  let candidateName = entry.candidateName;
  let candidateEmail = entry.candidateEmail;
  let linkedin = entry.candidateLinkedinUrl;
  let message = entry.message;

  if (pseudonymizer) {
    const person = {
      candidateId: entry.candidateId,
      name: entry.candidateName,
      email: entry.candidateEmail,
      linkedinUrl: entry.candidateLinkedinUrl,
      phone: entry.candidatePhone,
    };
    const pseudonyms = entry.candidateId === null ? null : pseudonymizer.person(person);
    candidateName = candidateName === null ? null : (pseudonyms?.name ?? null);
    candidateEmail = candidateEmail === null ? null : (pseudonyms?.email ?? null);
    linkedin = linkedin === null ? null : (pseudonyms?.linkedinUrl ?? null);
    message = pseudonymizer.scrubText(message, person);
  }

  // The store scrubs registered secrets on write; doing it again here also covers entries written
  // before a key was registered.
  return {
    time: entry.at,
    client: entry.clientName,
    role: entry.roleTitle,
    candidateName,
    candidateEmail,
    linkedin,
    event: entry.event,
    action: entry.action,
    outcome: entry.outcome,
    message: scrubSecrets(message),
    ashbyCandidateId: entry.ashbyCandidateId,
    ashbyApplicationId: entry.ashbyApplicationId,
    ashbyRequestId: entry.ashbyRequestId,
    actor: scrubNullable(entry.actor) ?? '',
  };
}

const CSV_OPTIONS = { record_delimiter: '\r\n', eof: true } as const;

/** Returns the CSV header line (RFC 4180: CRLF line ends). */
export function csvHeaderText(): string {
  return stringify([COLUMN_KEYS.map((key) => CSV_HEADER[key])], CSV_OPTIONS);
}

/** Returns CSV lines for `records`; every cell is neutralised and quoted where RFC 4180 needs it. */
export function csvText(records: AuditExportRecord[]): string {
  if (records.length === 0) return '';
  const cells = records.map((record) =>
    COLUMN_KEYS.map((key) => {
      const value = record[key];
      return value === null ? '' : neutraliseFormula(value);
    }),
  );
  return stringify(cells, CSV_OPTIONS);
}

/** Returns one JSON object per line for `records`. */
export function jsonLinesText(records: AuditExportRecord[]): string {
  let text = '';
  for (const record of records) text += `${JSON.stringify(record)}\n`;
  return text;
}
