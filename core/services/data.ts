// Data in and out: importing a pipeline export into a client, and exporting the audit log.
import { statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors.js';
import { exportAudit as writeAuditExport, type AuditExportFormat, type AuditExportProgress, type AuditExportResult } from '../audit/index.js';
import { importPipelineFile, PipelineImportError, type ImportProgress, type ImportReport } from '../pipeline/import.js';
import type { Services } from './context.js';
import { requireClientRef, type ClientRef } from './lookup.js';

/**
 * Imports a JSON or CSV pipeline export into the client. Rejected rows are listed in the report and
 * do not fail the import. A file that cannot be used at all throws `validation_failed`, and then
 * nothing is written.
 */
export async function importPipeline(
  services: Services,
  clientRef: ClientRef,
  file: string,
  options: { onProgress?: (progress: ImportProgress) => void; signal?: AbortSignal } = {},
): Promise<ImportReport> {
  const client = requireClientRef(services, clientRef);
  try {
    return await importPipelineFile(services.db, {
      clock: services.clock,
      clientId: client.id,
      file: path.resolve(file),
      dataDir: services.dataDir,
      actor: services.actor,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if (error instanceof PipelineImportError) {
      throw new AppError('validation_failed', `Cannot import ${file}: ${error.message}. Nothing was imported.`, {
        details: { reason: error.code },
        cause: error,
      });
    }
    throw error;
  }
}

export interface AuditExportInput {
  format: AuditExportFormat;
  out: string;
  client?: ClientRef;
  /** Entries at or after this instant (ISO-8601). */
  since?: string;
  /** Entries strictly before this instant (ISO-8601). */
  until?: string;
  redactPii?: boolean;
  onProgress?: (progress: AuditExportProgress) => void;
}

function checkInstant(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time)) {
    throw new AppError('invalid_input', `${name} must be an ISO-8601 date or time such as 2026-12-01 or 2026-12-01T09:00:00Z, got "${value}".`);
  }
  return new Date(time).toISOString();
}

// The export writes `<file>.partial` first, so a missing folder would otherwise surface as an
// ENOENT on a file name the user never typed.
function requireFolder(file: string): void {
  const folder = path.dirname(file);
  const stats = statSync(folder, { throwIfNoEntry: false });
  if (stats === undefined) {
    throw new AppError('validation_failed', `Cannot write the audit export to ${file}: the folder ${folder} does not exist. Create it or choose another file.`);
  }
  if (!stats.isDirectory()) {
    throw new AppError('validation_failed', `Cannot write the audit export to ${file}: ${folder} is a file, not a folder. Choose another file.`);
  }
}

/** Writes the audit log (filtered) to a CSV or JSON Lines file; secrets are never in it. */
export async function exportAuditFile(services: Services, input: AuditExportInput): Promise<AuditExportResult & { file: string }> {
  const clientId = input.client === undefined ? undefined : requireClientRef(services, input.client).id;
  const from = checkInstant('--since', input.since);
  const to = checkInstant('--until', input.until);
  const file = path.resolve(input.out);
  requireFolder(file);
  const result = await writeAuditExport(services.db, {
    filter: {
      ...(clientId === undefined ? {} : { clientId }),
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    },
    format: input.format,
    redactPii: input.redactPii ?? false,
    out: file,
    clock: services.clock,
    actor: services.actor,
    ...(input.onProgress === undefined ? {} : { onProgress: input.onProgress }),
  });
  return { ...result, file };
}
