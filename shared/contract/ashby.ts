// Channels that read a client's Ashby tenant to fill the console's dropdowns: sources, archive
// reasons and jobs. Each call goes to Ashby with the client's stored key.
import { z } from 'zod';
import type { ChannelMap } from './define.js';

const ClientInput = z.strictObject({ clientId: z.number().int().positive() });

export const AshbyOption = z.object({ id: z.string(), title: z.string() });
export type AshbyOption = z.infer<typeof AshbyOption>;

export const AshbyJob = AshbyOption.extend({
  /** Ashby's job status: `Open`, `Closed`, `Archived` (drafts are left out). */
  status: z.string(),
  confidential: z.boolean(),
});
export type AshbyJob = z.infer<typeof AshbyJob>;

export const ashbyChannels = {
  'ashby:sources': { input: ClientInput, output: z.array(AshbyOption) },
  'ashby:archiveReasons': { input: ClientInput, output: z.array(AshbyOption) },
  'ashby:jobs': { input: ClientInput, output: z.array(AshbyJob) },
} satisfies ChannelMap;
