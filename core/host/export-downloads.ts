// Audit exports as browser downloads. The browser host cannot write to a folder the admin picks,
// so `audit:export` issues a one-time ticket and the page opens `/downloads/audit/<ticket>`.
// The host then streams the export into the response in bounded memory, audited like any export.
// The request still needs the host's access token, and a ticket works once, within a minute.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { exportAudit, type AuditExportFormat, type AuditFilter } from '../audit/index.js';
import type { AppContext } from '../app/context.js';
import type { Logger } from '../log/logger.js';

export const DOWNLOAD_PATH_PREFIX = '/downloads/audit/';
const TICKET_TTL_MS = 60_000;

interface Ticket {
  filter: AuditFilter;
  format: AuditExportFormat;
  redactPii: boolean;
  fileName: string;
  expiresAt: number;
}

const tickets = new WeakMap<AppContext, Map<string, Ticket>>();

/** Registers an export for download and returns the path the page opens. */
export function issueExportDownload(
  context: AppContext,
  request: { filter: AuditFilter; format: AuditExportFormat; redactPii: boolean; fileName: string },
): string {
  let open = tickets.get(context);
  if (open === undefined) {
    open = new Map();
    tickets.set(context, open);
  }
  const now = context.clock.now();
  for (const [id, ticket] of open) if (ticket.expiresAt <= now) open.delete(id);
  const id = randomBytes(24).toString('base64url');
  open.set(id, { ...request, expiresAt: now + TICKET_TTL_MS });
  return `${DOWNLOAD_PATH_PREFIX}${id}`;
}

/** True when the path is a download path, whether or not its ticket is valid. */
export function isDownloadPath(pathname: string): boolean {
  return pathname.startsWith(DOWNLOAD_PATH_PREFIX);
}

/** Streams the export of a ticket, or replies 404 for an unknown, used or expired ticket. */
export async function sendExportDownload(
  context: AppContext | null,
  pathname: string,
  response: ServerResponse,
  logger: Logger,
): Promise<void> {
  const id = pathname.slice(DOWNLOAD_PATH_PREFIX.length);
  const open = context === null ? undefined : tickets.get(context);
  const ticket = open?.get(id);
  open?.delete(id);
  if (context === null || ticket === undefined || ticket.expiresAt <= context.clock.now()) {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('This download link has been used or has expired. Export again from the Activity screen.\n');
    return;
  }
  response.writeHead(200, {
    'Content-Type': ticket.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    'Content-Disposition': `attachment; filename="${ticket.fileName}"`,
    'Cache-Control': 'no-store',
  });
  try {
    const result = await exportAudit(context.db, {
      filter: ticket.filter,
      format: ticket.format,
      redactPii: ticket.redactPii,
      out: response,
      clock: context.clock,
      actor: 'admin',
    });
    logger.info({ rows: result.rows, bytes: result.bytes, format: ticket.format }, 'audit export downloaded');
  } catch (error) {
    // The headers are already sent, so the response is cut off. The export's audit entry records the failure.
    logger.warn({ err: error, clientId: ticket.filter.clientId ?? null }, 'audit export download failed');
    if (!response.destroyed) response.destroy();
  }
}
