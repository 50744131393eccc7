// Handlers for the `import:*` channels: preview, import with progress events, sample lookup.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RejectedRow } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { previewPipelineFile, PipelineImportError, type RejectedRow as PipelineRejectedRow } from '../../pipeline/import.js';
import { importDialog } from '../../desktop/import-dialog.js';
import { DEFAULT_SAMPLES_DIR, importPipeline, requireClientRef } from '../../services/index.js';
import type { HandlerMap } from '../registry.js';

/** Rejected rows shown in a preview or report; a file with more is summarised by the counts. */
const MAX_REJECTED_SHOWN = 500;

function valueAsText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function toRejected(rows: readonly PipelineRejectedRow[]): RejectedRow[] {
  return rows.slice(0, MAX_REJECTED_SHOWN).map((row) => ({
    line: row.line ?? null,
    path: row.path ?? null,
    field: row.field,
    value: valueAsText(row.value),
    // A row kept without its resume is listed too, and the screen shows that the row was still imported.
    reason: row.rowKept === true ? `imported without resume: ${row.reason}` : row.reason,
  }));
}

function requireAbsolute(file: string): string {
  if (!path.isAbsolute(file)) {
    throw new AppError('invalid_input', `"${file}" is not an absolute path; give the full path of the export file.`);
  }
  return file;
}

/** Finds the sample export of a demo tenant: `resources/samples/<name as slug>.json` or `.csv`. */
export function sampleFileFor(name: string): string | null {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  for (const extension of ['.json', '.csv']) {
    const file = path.join(DEFAULT_SAMPLES_DIR, `${slug}${extension}`);
    if (existsSync(file)) return file;
  }
  return null;
}

export const importHandlers = {
  'import:preview': async ({ clientId, file }, { db, services }) => {
    const client = requireClientRef(services, clientId);
    let preview;
    try {
      preview = await previewPipelineFile({ file: requireAbsolute(file), db, clientId: client.id });
    } catch (error) {
      if (error instanceof PipelineImportError) {
        throw new AppError('validation_failed', `Cannot read ${file}: ${error.message}.`, { cause: error });
      }
      throw error;
    }
    return {
      format: preview.format,
      rows: preview.rows,
      rowsRejected: preview.rowsRejected,
      roles: preview.roles,
      rejected: toRejected(preview.rejected),
      changes: preview.changes ?? null,
    };
  },

  'import:run': async ({ clientId, file }, { events, services }) => {
    const client = requireClientRef(services, clientId);
    const report = await importPipeline(services, client.id, requireAbsolute(file), {
      onProgress: (progress) => events.emit('import:progress', { clientId: client.id, ...progress }),
    });
    return {
      rows: report.rows,
      rowsRejected: report.rowsRejected,
      rolesCreated: report.rolesCreated,
      rolesUpdated: report.rolesUpdated,
      candidatesCreated: report.candidatesCreated,
      candidatesUpdated: report.candidatesUpdated,
      unchanged: report.unchanged,
      eventsFired: report.eventsFired,
      rejected: toRejected(report.rejected),
    };
  },

  'import:chooseFile': async (_input, context) => {
    const choose = importDialog(context);
    if (choose === null) return { available: false, file: null };
    return { available: true, file: await choose() };
  },

  'import:sample': ({ clientId }, { services }) => {
    const client = requireClientRef(services, clientId);
    return { file: client.isSandbox ? sampleFileFor(client.name) : null };
  },
} satisfies Pick<HandlerMap, 'import:preview' | 'import:run' | 'import:chooseFile' | 'import:sample'>;
