// Channels about the console itself: version, data folder, where keys are kept, which transport.
import { z } from 'zod';
import type { ChannelMap } from './define.js';

export const SECRET_STORE_KINDS = ['keychain', 'memory'] as const;
export const SecretStoreKind = z.enum(SECRET_STORE_KINDS);
export type SecretStoreKind = z.infer<typeof SecretStoreKind>;

/** `electron` inside the desktop app, `browser` when served by the browser host. */
export const TRANSPORTS = ['electron', 'browser'] as const;
export const Transport = z.enum(TRANSPORTS);
export type Transport = z.infer<typeof Transport>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** Absolute path of the data folder (SQLite file, logs, resumes). */
  dataDir: z.string(),
  secretStore: z.object({
    kind: SecretStoreKind,
    /** Shown in the UI when set; always set for `memory`, because keys are lost on exit. */
    warning: z.string().nullable(),
  }),
  transport: Transport,
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appChannels = {
  'app:info': { input: z.strictObject({}), output: AppInfo },
} satisfies ChannelMap;
