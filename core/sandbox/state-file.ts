// Keeps a sandbox's records in a JSON file, so a sandbox started again with the same file (the
// console's demo after an app restart) still contains what clients wrote to it. The file contains
// the tenants with every record, the API keys and the clock offset. Upload handles, pagination
// cursors, sync tokens, faults, rate-limit windows and call counts are not kept: a client that
// sends a cursor or sync token from before the restart gets `invalid_next_cursor` or
// `sync_token_invalid`, which Ashby clients must handle anyway.
// The API keys in the file are keys of this sandbox, which opens only to loopback clients and holds
// made-up data. They are not secrets, so the file keeps them in plain text like the seed does.
import { open, readFile, rename, rm } from 'node:fs/promises';
import { z } from 'zod';

import type { Logger } from '../log/logger.js';
import {
  PERMISSIONS,
  type StoredApiKey,
  type StoredApplication,
  type StoredArchiveReason,
  type StoredCandidate,
  type StoredJob,
  type StoredPlan,
  type StoredSource,
  type StoredStage,
  type StoredUser,
  type Tenant,
} from './model.js';
import type { SandboxState, TenantCredentials } from './state.js';
import { indexCandidateEmails } from './tenant.js';

/** Format version written into every state file; a file with another version is rejected. */
export const STATE_FILE_VERSION = 1;

/** Default wait after a write before the state file is saved, so a burst of writes costs one save. */
export const DEFAULT_STATE_SAVE_DELAY_MS = 200;

/** A state file that cannot be read or does not hold a sandbox state of this format version. */
export class SandboxStateFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxStateFileError';
  }
}

// The schema checks what the sandbox needs to index the records: ids, candidate emails and key
// permissions. The other record fields are trusted, because this module wrote them.
const StoredRecord = z.looseObject({ id: z.string() });

const SavedCandidate = z.looseObject({
  id: z.string(),
  emails: z.array(z.looseObject({ value: z.string() })),
});

const SavedTenant = z.object({
  id: z.string(),
  name: z.string().min(1),
  nextOrdinal: z.number().int().positive(),
  changeSeq: z.number().int().nonnegative(),
  users: z.array(StoredRecord),
  sources: z.array(StoredRecord),
  archiveReasons: z.array(StoredRecord),
  plans: z.array(StoredRecord),
  stages: z.array(StoredRecord),
  jobs: z.array(StoredRecord),
  candidates: z.array(SavedCandidate),
  applications: z.array(StoredRecord),
});

const SavedKey = z.object({
  key: z.string().min(1),
  tenantId: z.string(),
  title: z.string(),
  createdAt: z.string(),
  permissions: z.array(z.enum(PERMISSIONS)),
  confidentialAccess: z.boolean(),
  revoked: z.boolean(),
});

const SavedState = z.object({
  version: z.literal(STATE_FILE_VERSION),
  clockOffsetMs: z.number().nonnegative(),
  /** The tenants and keys that `startSandbox` returned when the file was first written. */
  startTenants: z.array(z.object({ name: z.string(), apiKey: z.string() })),
  keys: z.array(SavedKey),
  tenants: z.array(SavedTenant),
});

export type SavedState = z.infer<typeof SavedState>;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Returns what is inconsistent between the saved tenants, keys and start tenants, or null. */
function findBrokenReference(saved: SavedState): string | null {
  const names = new Set<string>();
  const ids = new Set<string>();
  for (const tenant of saved.tenants) {
    if (names.has(tenant.name)) return `two tenants are named "${tenant.name}"`;
    if (ids.has(tenant.id)) return `two tenants have the id ${tenant.id}`;
    names.add(tenant.name);
    ids.add(tenant.id);
  }
  const keys = new Set<string>();
  for (const key of saved.keys) {
    if (!ids.has(key.tenantId)) return `a key belongs to tenant ${key.tenantId}, which is not in the file`;
    keys.add(key.key);
  }
  for (const start of saved.startTenants) {
    if (!names.has(start.name)) return `start tenant "${start.name}" is not in the file`;
    if (!keys.has(start.apiKey)) return `the key of start tenant "${start.name}" is not in the file`;
  }
  return null;
}

/**
 * Reads and checks a state file. Returns null when the file does not exist; throws
 * SandboxStateFileError when it cannot be read or does not hold a sandbox state.
 */
export async function readStateFile(file: string): Promise<SavedState | null> {
  const fix = 'Move or delete the file to start the sandbox from its seed.';
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SandboxStateFileError(file, `Could not read the sandbox state file ${file}: ${errorMessage(error)}`);
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SandboxStateFileError(file, `The sandbox state file ${file} is not valid JSON (${errorMessage(error)}). ${fix}`);
  }
  const parsed = SavedState.safeParse(json);
  if (!parsed.success) {
    const details = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'file'}: ${issue.message}`)
      .join('; ');
    throw new SandboxStateFileError(
      file,
      `The sandbox state file ${file} does not hold a sandbox state of format version ${STATE_FILE_VERSION} (${details}). ${fix}`,
    );
  }
  const broken = findBrokenReference(parsed.data);
  if (broken !== null) throw new SandboxStateFileError(file, `The sandbox state file ${file} is inconsistent: ${broken}. ${fix}`);
  return parsed.data;
}

function byId<T extends { id: string }>(records: T[]): Map<string, T> {
  return new Map(records.map((record) => [record.id, record]));
}

function toTenant(saved: SavedState['tenants'][number]): Tenant {
  const tenant: Tenant = {
    id: saved.id,
    name: saved.name,
    users: byId(saved.users as unknown as StoredUser[]),
    sources: byId(saved.sources as unknown as StoredSource[]),
    archiveReasons: byId(saved.archiveReasons as unknown as StoredArchiveReason[]),
    plans: byId(saved.plans as unknown as StoredPlan[]),
    stages: byId(saved.stages as unknown as StoredStage[]),
    jobs: byId(saved.jobs as unknown as StoredJob[]),
    candidates: byId(saved.candidates as unknown as StoredCandidate[]),
    applications: byId(saved.applications as unknown as StoredApplication[]),
    emailIndex: new Map(),
    nextOrdinal: saved.nextOrdinal,
    changeSeq: saved.changeSeq,
  };
  for (const candidate of tenant.candidates.values()) indexCandidateEmails(tenant, candidate);
  return tenant;
}

/** Loads a saved state into an empty sandbox state; returns the start tenants it was saved with. */
export function restoreState(state: SandboxState, saved: SavedState): TenantCredentials[] {
  const keys: StoredApiKey[] = saved.keys.map((key) => ({ ...key, permissions: new Set(key.permissions) }));
  state.restore(saved.tenants.map(toTenant), keys, saved.clockOffsetMs);
  return saved.startTenants.map((start) => ({ name: start.name, apiKey: start.apiKey }));
}

/** Serialises the state, with the tenants and keys startSandbox returned, as the text of a state file. */
export function serialiseState(state: SandboxState, startTenants: TenantCredentials[]): string {
  // Not typed as SavedState: the stored record interfaces lack the index signature of the loose
  // schema objects. The round trip through readStateFile is what the tests check.
  const saved = {
    version: STATE_FILE_VERSION,
    clockOffsetMs: state.clockOffset(),
    startTenants,
    keys: [...state.keys.values()].map((key) => ({ ...key, permissions: [...key.permissions] })),
    tenants: [...state.tenants.values()].map((tenant) => ({
      id: tenant.id,
      name: tenant.name,
      nextOrdinal: tenant.nextOrdinal,
      changeSeq: tenant.changeSeq,
      users: [...tenant.users.values()],
      sources: [...tenant.sources.values()],
      archiveReasons: [...tenant.archiveReasons.values()],
      plans: [...tenant.plans.values()],
      stages: [...tenant.stages.values()],
      jobs: [...tenant.jobs.values()],
      candidates: [...tenant.candidates.values()],
      applications: [...tenant.applications.values()],
    })),
  };
  return JSON.stringify(saved);
}

/**
 * Saves the state file some milliseconds after a write, one save at a time. Each save writes a
 * temporary file, flushes it to disk and renames it over the old file, so a crash leaves either
 * the old or the new state and never a half-written file.
 */
export class StateFileWriter {
  private timer: NodeJS.Timeout | null = null;
  private queue: Promise<void> = Promise.resolve();
  private lastSaved: string | null = null;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly serialise: () => string,
    private readonly delayMs: number,
    private readonly logger: Logger,
  ) {}

  /** Saves after the delay unless a save is already due; errors are logged, and the next write tries again. */
  schedule(): void {
    if (this.closed || this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.save().catch((error: unknown) => {
        this.logger.error({ err: error, file: this.file }, 'could not save the sandbox state file');
      });
    }, this.delayMs);
  }

  /** Saves the current state once the save in progress, if any, has finished. */
  save(): Promise<void> {
    const run = this.queue.then(() => this.write());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Cancels the pending save and saves one last time; later writes are no longer saved. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.save();
  }

  private async write(): Promise<void> {
    // Serialised when the save starts, so it contains every write made until then.
    const text = this.serialise();
    if (text === this.lastSaved) return;
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      const handle = await open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    this.lastSaved = text;
    this.logger.debug({ file: this.file, bytes: Buffer.byteLength(text) }, 'saved the sandbox state file');
  }
}
