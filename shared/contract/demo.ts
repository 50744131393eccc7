// Channels of the first-run screen's "Explore with demo data": the built-in sandbox runs inside
// the console's process, its demo organisations are connected and their samples imported.
import { z } from 'zod';
import type { ChannelMap } from './define.js';

export const DemoStatus = z.object({
  /** True while the in-process sandbox is serving. */
  running: z.boolean(),
  /** The sandbox's base URL while it runs. */
  url: z.string().nullable(),
  clients: z.array(
    z.object({
      clientId: z.number().int().positive(),
      name: z.string(),
      /** Candidate rows imported from the sample export; null when none was imported. */
      importedRows: z.number().int().nonnegative().nullable(),
    }),
  ),
});
export type DemoStatus = z.infer<typeof DemoStatus>;

export const demoChannels = {
  'demo:start': { input: z.strictObject({}), output: DemoStatus },
  'demo:status': { input: z.strictObject({}), output: DemoStatus },
} satisfies ChannelMap;
