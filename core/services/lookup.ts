// Finding clients, roles and candidates from what a user types: a client's name or id, a role's
// console id or the export's role id, a candidate's console id or the export's candidate id.
import { AppError } from '../../shared/errors.js';
import type { AshbyClient } from '../ashby/index.js';
import { getCandidate, getCandidateByExternalId, type Candidate } from '../store/repo/candidates.js';
import { getClient, getClientByName, listClients, type Client } from '../store/repo/clients.js';
import { getRole, getRoleByExternalId, type Role } from '../store/repo/roles.js';
import type { Services } from './context.js';

/** A client's console id, or its name (compared case-insensitively). */
export type ClientRef = number | string;

const CONSOLE_PREFIX = 'id:';
const EXPORT_PREFIX = 'ext:';

function consoleId(text: string): number | null {
  return /^[1-9][0-9]{0,15}$/.test(text) ? Number(text) : null;
}

/** Returns the client, or throws `not_found` naming the clients that exist. */
export function requireClientRef(services: Services, ref: ClientRef): Client {
  const byName = typeof ref === 'string' ? getClientByName(services.db, ref.trim()) : null;
  if (byName !== null) return byName;
  const id = typeof ref === 'number' ? ref : consoleId(ref.trim());
  const byId = id === null ? null : getClient(services.db, id);
  if (byId !== null) return byId;
  const names = listClients(services.db).map((client) => client.name);
  const known = names.length === 0 ? 'No client is connected yet; add one with `clients add`.' : `Known clients: ${names.join(', ')}.`;
  throw new AppError('not_found', `No client named "${String(ref)}". ${known}`, { details: { client: String(ref) } });
}

/**
 * Finds a role of the client by console id or by the export's role id. `id:12` and `ext:12`
 * force one reading when a value is both; otherwise a value matching two different roles is rejected.
 */
export function resolveRole(services: Services, clientId: number, idOrExternalId: string | number): Role {
  const text = String(idOrExternalId).trim();
  const ownRole = (id: number | null): Role | null => {
    const role = id === null ? null : getRole(services.db, id);
    return role !== null && role.clientId === clientId ? role : null;
  };
  let role: Role | null;
  if (text.startsWith(CONSOLE_PREFIX)) role = ownRole(consoleId(text.slice(CONSOLE_PREFIX.length)));
  else if (text.startsWith(EXPORT_PREFIX)) role = getRoleByExternalId(services.db, clientId, text.slice(EXPORT_PREFIX.length));
  else {
    const byExport = getRoleByExternalId(services.db, clientId, text);
    const byConsole = ownRole(consoleId(text));
    if (byExport !== null && byConsole !== null && byExport.id !== byConsole.id) {
      throw new AppError(
        'invalid_input',
        `Role "${text}" is both the console id of "${byConsole.title}" and the export id of "${byExport.title}"; ` +
          `write id:${text} or ext:${text}.`,
      );
    }
    role = byExport ?? byConsole;
  }
  if (role === null) {
    const client = getClient(services.db, clientId);
    throw new AppError(
      'not_found',
      `No role "${text}" for ${client?.name ?? `client ${clientId}`}; \`roles list\` shows each role's console id and export id.`,
      { details: { role: text } },
    );
  }
  return role;
}

/** Finds a candidate of the role by console id or by the export's candidate id (`id:` / `ext:` as for roles). */
export function resolveCandidate(services: Services, role: Role, idOrExternalId: string | number): Candidate {
  const text = String(idOrExternalId).trim();
  const ownCandidate = (id: number | null): Candidate | null => {
    const candidate = id === null ? null : getCandidate(services.db, id);
    return candidate !== null && candidate.roleId === role.id ? candidate : null;
  };
  let candidate: Candidate | null;
  if (text.startsWith(CONSOLE_PREFIX)) candidate = ownCandidate(consoleId(text.slice(CONSOLE_PREFIX.length)));
  else if (text.startsWith(EXPORT_PREFIX)) candidate = getCandidateByExternalId(services.db, role.id, text.slice(EXPORT_PREFIX.length));
  else {
    const byExport = getCandidateByExternalId(services.db, role.id, text);
    const byConsole = ownCandidate(consoleId(text));
    if (byExport !== null && byConsole !== null && byExport.id !== byConsole.id) {
      throw new AppError(
        'invalid_input',
        `Candidate "${text}" is both the console id of ${byConsole.name} and the export id of ${byExport.name}; ` +
          `write id:${text} or ext:${text}.`,
      );
    }
    candidate = byExport ?? byConsole;
  }
  if (candidate === null) {
    throw new AppError('not_found', `No candidate "${text}" in role "${role.title}" (${role.externalId}).`, {
      details: { candidate: text, roleId: role.id },
    });
  }
  return candidate;
}

/** Returns an Ashby client with the client's stored key, or throws `ashby_auth` saying how to add one. */
export async function ashbyFor(services: Services, client: Client): Promise<AshbyClient> {
  const connection = await services.credentials(client.id);
  if (connection === null) {
    const where = services.secrets.kind === 'memory' && !client.isSandbox
      ? ' (ASHBY_SYNC_SECRET_STORE=memory keeps keys only for the process that added them)'
      : '';
    throw new AppError(
      'ashby_auth',
      `No API key is stored for ${client.name}${where}. Store one with \`clients add\` or replace the key in the connection settings.`,
      { details: { clientId: client.id, reason: 'no_key' } },
    );
  }
  return services.ashbyClient({ ...connection, label: client.name });
}
