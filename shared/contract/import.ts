// Channels of the import screen: preview a pipeline export (per-row errors, what would change),
// import it, and find a demo client's sample export.
import { z } from 'zod';
import type { ChannelMap } from './define.js';

const count = z.number().int().nonnegative();

export const RejectedRow = z.object({
  /** 1-based CSV line, or null for JSON. */
  line: z.number().int().nullable(),
  /** JSON path of the entry, or null for CSV. */
  path: z.string().nullable(),
  field: z.string(),
  /** The value as the file has it, as text; null when the field is missing. */
  value: z.string().nullable(),
  reason: z.string(),
});
export type RejectedRow = z.infer<typeof RejectedRow>;

export const ImportChanges = z.object({
  rolesCreated: count,
  rolesUpdated: count,
  candidatesCreated: count,
  candidatesUpdated: count,
  unchanged: count,
  eventsFired: count,
});
export type ImportChanges = z.infer<typeof ImportChanges>;

export const ImportPreview = z.object({
  format: z.enum(['json', 'csv']),
  rows: count,
  rowsRejected: count,
  roles: z.array(z.object({ id: z.string(), title: z.string(), candidates: count })),
  rejected: z.array(RejectedRow),
  changes: ImportChanges.nullable(),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const ImportResult = ImportChanges.extend({
  rows: count,
  rowsRejected: count,
  rejected: z.array(RejectedRow),
});
export type ImportResult = z.infer<typeof ImportResult>;

const FileInput = z.strictObject({
  clientId: z.number().int().positive(),
  /** Absolute path of a `.json` or `.csv` export on the machine running the console. */
  file: z.string().trim().min(1),
});

export const importChannels = {
  'import:preview': { input: FileInput, output: ImportPreview },
  /** Imports the file; `import:progress` events report progress while it runs. */
  'import:run': { input: FileInput, output: ImportResult },
  /**
   * Opens the desktop app's file dialog. `available` is false in the browser host, where the
   * screen offers only its path field; `file` is null when nothing was chosen.
   */
  'import:chooseFile': {
    input: z.strictObject({}),
    output: z.object({ available: z.boolean(), file: z.string().nullable() }),
  },
  /** The sample export of a demo client, or null for a client without one. */
  'import:sample': {
    input: z.strictObject({ clientId: z.number().int().positive() }),
    output: z.object({ file: z.string().nullable() }),
  },
} satisfies ChannelMap;
