// Finds roles and candidates by the ids a user types: the console's own numeric id or the id the
// Jack & Jill export gives (`externalId`). The console id wins when both could match.
import type Database from 'better-sqlite3';
import { getCandidate, getCandidateByExternalId, type Candidate } from '../store/repo/candidates.js';
import { getRole, getRoleByExternalId, type Role } from '../store/repo/roles.js';

function consoleId(reference: string): number | null {
  return /^[1-9]\d{0,15}$/.test(reference) ? Number(reference) : null;
}

/** Returns the client's role whose console id or export id is `reference`, or null. */
export function findRoleByReference(db: Database.Database, clientId: number, reference: string): Role | null {
  const id = consoleId(reference.trim());
  if (id !== null) {
    const role = getRole(db, id);
    if (role && role.clientId === clientId) return role;
  }
  return getRoleByExternalId(db, clientId, reference.trim());
}

/** Returns the role's candidate whose console id or export id is `reference`, or null. */
export function findCandidateByReference(db: Database.Database, roleId: number, reference: string): Candidate | null {
  const id = consoleId(reference.trim());
  if (id !== null) {
    const candidate = getCandidate(db, id);
    if (candidate && candidate.roleId === roleId) return candidate;
  }
  return getCandidateByExternalId(db, roleId, reference.trim());
}
