// Corrects a candidate's email or LinkedIn URL from the Review screen before a push is approved.
// Both are validated and keyed exactly as the import does, so the push after the edit matches
// Ashby candidates by the new values. Works offline: only the local store changes.
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.js';
import { isoNow } from '../clock.js';
import { recordAudit } from './audit.js';
import { canonicalLinkedIn, normalizeEmail } from './identity.js';
import { getCandidate } from './rows.js';

export interface IdentityEdit {
  /** New email; null or blank clears it. */
  email: string | null;
  /** New LinkedIn URL; null or blank clears it. */
  linkedinUrl: string | null;
}

export type IdentityEditResult =
  | { ok: true; email: string | null; linkedinUrl: string | null; changed: boolean }
  | { ok: false; reason: string };

function blank(value: string | null): boolean {
  return value === null || value.trim() === '';
}

/**
 * Validates and stores the candidate's new email and LinkedIn URL, and records the change in the
 * audit log. The entry names the changed fields but not their values.
 * A candidate needs at least one of the two, because a name alone never links to an Ashby candidate.
 */
export function editCandidateIdentity(
  db: Database.Database,
  clock: Clock,
  candidateId: number,
  edit: IdentityEdit,
  actor = 'admin',
): IdentityEditResult {
  const candidate = getCandidate(db, candidateId);
  if (candidate === undefined)
    return { ok: false, reason: `candidate ${candidateId} was not found` };

  let email: { email: string; key: string } | null = null;
  if (!blank(edit.email)) {
    const result = normalizeEmail(edit.email);
    if (!result.ok) return { ok: false, reason: result.reason };
    email = { email: result.email, key: result.key };
  }
  let linkedIn: { url: string; slug: string } | null = null;
  if (!blank(edit.linkedinUrl)) {
    const result = canonicalLinkedIn(edit.linkedinUrl);
    if (!result.ok) return { ok: false, reason: result.reason };
    linkedIn = { url: result.url, slug: result.slug };
  }
  if (email === null && linkedIn === null) {
    return {
      ok: false,
      reason: `${candidate.name} needs an email or a LinkedIn URL to be matched in Ashby`,
    };
  }

  const fields: string[] = [];
  if ((email?.email ?? null) !== candidate.email) fields.push('email');
  if ((linkedIn?.url ?? null) !== candidate.linkedin_url) fields.push('LinkedIn URL');
  if (fields.length === 0) {
    return {
      ok: true,
      email: candidate.email,
      linkedinUrl: candidate.linkedin_url,
      changed: false,
    };
  }

  db.transaction(() => {
    db.prepare(
      `UPDATE candidates SET email = ?, email_key = ?, linkedin_url = ?, linkedin_slug = ?, updated_at = ?
       WHERE id = ?`,
    ).run(
      email?.email ?? null,
      email?.key ?? null,
      linkedIn?.url ?? null,
      linkedIn?.slug ?? null,
      isoNow(clock),
      candidateId,
    );
    recordAudit(db, clock, {
      clientId: candidate.client_id,
      roleId: candidate.role_id,
      candidateId,
      action: 'candidate_identity_edited',
      outcome: 'ok',
      actor,
      message: `changed ${fields.join(' and ')} of ${candidate.name} before review`,
      details: { fields },
    });
  })();
  return {
    ok: true,
    email: email?.email ?? null,
    linkedinUrl: linkedIn?.url ?? null,
    changed: true,
  };
}
