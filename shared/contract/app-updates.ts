// Channels of the desktop app's own upkeep: auto-update (`updates:*`), backup and restore of the
// database (`backup:*`) and notices about the previous session (`session:*`). The browser host
// serves them too: updates report that they are off, and backup and restore take a file path.
import { z } from 'zod';
import type { ChannelMap } from './define.js';

export const UPDATE_PHASES = ['idle', 'checking', 'up_to_date', 'downloading', 'ready', 'error'] as const;
export const UpdatePhase = z.enum(UPDATE_PHASES);

export const UpdateStatus = z.object({
  /** False in development, in the browser host and in a build without an update feed. */
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  phase: UpdatePhase,
  currentVersion: z.string(),
  /** Version being downloaded or downloaded; null when none is known. */
  availableVersion: z.string().nullable(),
  /** Download progress, 0 to 100, while downloading. */
  percent: z.number().min(0).max(100).nullable(),
  error: z.object({ message: z.string(), during: z.enum(['check', 'download']) }).nullable(),
  lastCheckedAt: z.string().nullable(),
  /** The user asked to restart; the install waits for the runs in `waitingFor`. */
  installRequested: z.boolean(),
  /** Sentence naming the runs an install waits for, or null. */
  waitingFor: z.string().nullable(),
  /** Page with the installers, for a manual download after a failure. */
  downloadUrl: z.string().nullable(),
});
export type UpdateStatus = z.infer<typeof UpdateStatus>;

export const RestartOutcome = z.object({ restarting: z.boolean(), message: z.string() });
export type RestartOutcome = z.infer<typeof RestartOutcome>;

export const BackupWritten = z.object({
  status: z.literal('written'),
  file: z.string(),
  bytes: z.number().int().nonnegative(),
  schemaVersion: z.number().int().nonnegative(),
});

export const DialogCancelled = z.object({ status: z.literal('cancelled') });

export const PendingRestore = z.object({
  /** The backup file the user chose. */
  source: z.string(),
  schemaVersion: z.number().int().nonnegative(),
  stagedAt: z.string(),
});
export type PendingRestore = z.infer<typeof PendingRestore>;

export const CompletedRestore = z.object({
  source: z.string(),
  restoredAt: z.string(),
  /** Path of the replaced database, kept beside the restored one. */
  previousKeptAs: z.string().nullable(),
});
export type CompletedRestore = z.infer<typeof CompletedRestore>;

export const RestoreStaged = PendingRestore.extend({
  status: z.literal('staged'),
  message: z.string(),
  /** True in the desktop app, which can restart itself to finish the restore. */
  canRelaunch: z.boolean(),
});

export const BackupStatus = z.object({
  pendingRestore: PendingRestore.nullable(),
  lastRestore: CompletedRestore.nullable(),
  /** True when backup and restore open file dialogs; false when they take a path. */
  usesDialogs: z.boolean(),
});
export type BackupStatus = z.infer<typeof BackupStatus>;

export const UncleanExit = z.object({
  /** When the session that did not quit cleanly started. */
  startedAt: z.string(),
  version: z.string(),
  /** Outbox items with an Ashby write whose outcome is unknown; each is verified before any resend. */
  unverifiedWrites: z.number().int().nonnegative(),
  message: z.string(),
});
export type UncleanExit = z.infer<typeof UncleanExit>;

export const SessionNotices = z.object({ uncleanExit: UncleanExit.nullable() });
export type SessionNotices = z.infer<typeof SessionNotices>;

const filePath = z.string().min(1).max(4096);

export const appUpdatesChannels = {
  'updates:status': { input: z.strictObject({}), output: UpdateStatus },
  'updates:check': { input: z.strictObject({}), output: UpdateStatus },
  'updates:restart': { input: z.strictObject({}), output: RestartOutcome },
  /** Writes a consistent copy of the database. Without `file`, the desktop shows a save dialog. */
  'backup:create': {
    input: z.strictObject({ file: filePath.optional() }),
    output: z.discriminatedUnion('status', [BackupWritten, DialogCancelled]),
  },
  /** Checks a backup and stages it; it replaces the database at the next start. */
  'backup:restore': {
    input: z.strictObject({ file: filePath.optional() }),
    output: z.discriminatedUnion('status', [RestoreStaged, DialogCancelled]),
  },
  'backup:cancelRestore': { input: z.strictObject({}), output: BackupStatus },
  'backup:status': { input: z.strictObject({}), output: BackupStatus },
  'session:notices': { input: z.strictObject({}), output: SessionNotices },
  'session:dismissNotice': { input: z.strictObject({}), output: SessionNotices },
  /** Restarts the desktop app (to finish a restore); the browser host rejects it. */
  'session:relaunch': { input: z.strictObject({}), output: RestartOutcome },
} satisfies ChannelMap;
