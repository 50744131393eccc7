// Handlers for the `audit:*` channels: keyset pages of the audit log for the Activity screen, the
// export of the current filter, and the client's retention with its explicit, audited purge.
// The desktop app exports through a save dialog, the browser host through a one-time download.
import type { ActivityFilter, ExportFormat, Retention } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { AUDIT_PURGE_ACTION, exportAudit, purgeAuditInBatches, queryAuditPage } from '../../audit/index.js';
import type { AppContext } from '../../app/context.js';
import { exportDialog } from '../../desktop/export-dialog.js';
import { issueExportDownload } from '../../host/export-downloads.js';
import { updateClientSettings } from '../../services/index.js';
import type { HandlerMap } from '../registry.js';

const DAY_MS = 86_400_000;

function retentionOf(context: AppContext, clientId: number): Retention {
  const row = context.db.prepare('SELECT audit_retention_days AS days FROM clients WHERE id = ?').get(clientId) as
    | { days: number | null }
    | undefined;
  if (row === undefined) throw new AppError('not_found', `Client ${clientId} was not found; reload the client list.`);
  if (row.days === null) return { clientId, retentionDays: null, purgeable: 0, cutoff: null };
  // The same rule as the purge: entries before the cutoff go, except earlier purge records.
  const cutoff = new Date(context.clock.now() - row.days * DAY_MS).toISOString();
  const purgeable = context.db
    .prepare('SELECT count(*) FROM audit_log WHERE client_id = ? AND at < ? AND action <> ?')
    .pluck()
    .get(clientId, cutoff, AUDIT_PURGE_ACTION) as number;
  return { clientId, retentionDays: row.days, purgeable, cutoff };
}

/** Builds the export's file name, `activity-<client>-<date>.<ext>`. */
export function exportFileName(context: AppContext, filter: ActivityFilter, format: ExportFormat): string {
  const client =
    filter.clientId === undefined
      ? 'all-clients'
      : ((context.db.prepare('SELECT name FROM clients WHERE id = ?').pluck().get(filter.clientId) as string | undefined) ?? `client-${filter.clientId}`);
  const slug = client.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'client';
  const date = new Date(context.clock.now()).toISOString().slice(0, 10);
  return `activity-${slug}-${date}.${format}`;
}

export const auditHandlers = {
  'audit:page': ({ filter, after, limit, includeCount }, context) => {
    const page = queryAuditPage(context.db, filter, {
      limit: limit ?? 100,
      after: after ?? null,
      order: 'newest_first',
      includeCount: includeCount ?? false,
    });
    return {
      entries: page.entries.map((entry) => ({
        id: entry.id,
        at: entry.at,
        clientId: entry.clientId,
        clientName: entry.clientName,
        roleId: entry.roleId,
        roleTitle: entry.roleTitle,
        candidateId: entry.candidateId,
        candidateName: entry.candidateName,
        event: entry.event,
        action: entry.action,
        outcome: entry.outcome,
        message: entry.message,
        actor: entry.actor,
        ashbyRequestId: entry.ashbyRequestId,
      })),
      nextCursor: page.nextCursor,
      count: page.count,
    };
  },

  'audit:export': async ({ filter, format, redactPii }, context) => {
    const fileName = exportFileName(context, filter, format);
    const choose = exportDialog(context);
    if (choose !== null) {
      const file = await choose(fileName, format);
      if (file === null) return { kind: 'cancelled' as const };
      const result = await exportAudit(context.db, { filter, format, redactPii, out: file, clock: context.clock, actor: context.services.actor });
      return { kind: 'saved' as const, file, rows: result.rows };
    }
    if (context.transport === 'browser') {
      return { kind: 'download' as const, url: issueExportDownload(context, { filter, format, redactPii, fileName }), fileName };
    }
    throw new AppError('internal', 'No save dialog is available to export to; restart the app and try again.');
  },

  'audit:retention': ({ clientId }, context) => retentionOf(context, clientId),

  'audit:setRetention': async ({ clientId, retentionDays }, context) => {
    // The settings service records the change in the audit log; nothing is deleted until a purge.
    await updateClientSettings(context.services, clientId, { auditRetentionDays: retentionDays });
    return retentionOf(context, clientId);
  },

  'audit:purge': async ({ clientId }, context) => {
    if (retentionOf(context, clientId).retentionDays === null) {
      throw new AppError('invalid_input', 'This client keeps its activity forever; set a retention first, then purge.');
    }
    const result = await purgeAuditInBatches(context.db, { clock: context.clock, clientId, actor: context.services.actor });
    return { deleted: result.deleted, cutoff: result.batches[0]?.cutoff ?? null, retention: retentionOf(context, clientId) };
  },

  // Walks the outcome indexes one distinct value at a time, so a large log costs one seek per outcome.
  'audit:outcomes': ({ clientId }, context) =>
    (clientId === null || clientId === undefined
      ? context.db.prepare(
          `WITH RECURSIVE o(v) AS (SELECT MIN(outcome) FROM audit_log
             UNION ALL SELECT (SELECT MIN(outcome) FROM audit_log WHERE outcome > v) FROM o WHERE v IS NOT NULL)
           SELECT v FROM o WHERE v IS NOT NULL`,
        ).pluck().all()
      : context.db.prepare(
          `WITH RECURSIVE o(v) AS (SELECT MIN(outcome) FROM audit_log WHERE client_id = @clientId
             UNION ALL SELECT (SELECT MIN(outcome) FROM audit_log WHERE client_id = @clientId AND outcome > v) FROM o WHERE v IS NOT NULL)
           SELECT v FROM o WHERE v IS NOT NULL`,
        ).pluck().all({ clientId })) as string[],
} satisfies Pick<HandlerMap, 'audit:page' | 'audit:export' | 'audit:outcomes' | 'audit:retention' | 'audit:setRetention' | 'audit:purge'>;
