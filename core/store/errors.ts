// Typed failures of opening or migrating the local database, so the app can show an error screen
// that names the file and the fix. `code` is one of the shared error codes (`store_too_new` or
// `store_unavailable`). `details.reason` names the failure.

export type StoreErrorCode = 'store_too_new' | 'store_unavailable';

export type StoreFailureReason =
  | 'too_new'
  | 'corrupt'
  | 'permission_denied'
  | 'unrecognized'
  | 'migration_failed'
  | 'backup_failed'
  | 'open_failed';

export interface StoreErrorDetails {
  reason: StoreFailureReason;
  file: string;
  [key: string]: unknown;
}

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly details: StoreErrorDetails;

  constructor(code: StoreErrorCode, message: string, details: StoreErrorDetails, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'StoreError';
    this.code = code;
    this.details = details;
  }

  get reason(): StoreFailureReason {
    return this.details.reason;
  }
}

/** The database was written by a newer app. The file is left byte for byte as it was. */
export class StoreTooNewError extends StoreError {
  readonly fileVersion: number;
  readonly appVersion: number;

  constructor(file: string, fileVersion: number, appVersion: number) {
    super(
      'store_too_new',
      `The database ${file} has schema version ${fileVersion}, but this app supports versions up to ` +
        `${appVersion}. A newer Ashby Sync Console wrote it: install the newer app to open it. ` +
        'The file was not changed.',
      { reason: 'too_new', file, fileVersion, appVersion },
    );
    this.name = 'StoreTooNewError';
    this.fileVersion = fileVersion;
    this.appVersion = appVersion;
  }
}

/** A migration failed; its transaction rolled back, so the file is still at `fromVersion`. */
export class StoreMigrationError extends StoreError {
  readonly version: number;
  readonly migrationName: string;

  constructor(
    file: string,
    migration: { version: number; name: string },
    fromVersion: number,
    backupFile: string | null,
    cause: unknown,
  ) {
    const backupNote = backupFile ? ` A backup taken before migrating is at ${backupFile}.` : '';
    super(
      'store_unavailable',
      `Migration ${migration.version} (${migration.name}) of ${file} failed: ${errorMessage(cause)}. ` +
        `The database was left unchanged at schema version ${fromVersion}.${backupNote} ` +
        'Report this error with the log file; do not delete the database.',
      {
        reason: 'migration_failed',
        file,
        migrationVersion: migration.version,
        migrationName: migration.name,
        fromVersion,
        backupFile,
      },
      cause,
    );
    this.name = 'StoreMigrationError';
    this.version = migration.version;
    this.migrationName = migration.name;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A repository function found no row with the given id. */
export class StoreNotFoundError extends Error {
  readonly code = 'not_found' as const;
  readonly details: { table: string; id: number | string };

  constructor(what: string, table: string, id: number | string) {
    super(`${what} ${id} was not found.`);
    this.name = 'StoreNotFoundError';
    this.details = { table, id };
  }
}

/** A write would break a uniqueness rule, such as two clients with the same name. */
export class StoreConflictError extends Error {
  readonly code = 'conflict' as const;
  readonly details: Record<string, unknown>;

  constructor(message: string, details: Record<string, unknown>, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'StoreConflictError';
    this.details = details;
  }
}

/** Returns true for a better-sqlite3 error from a UNIQUE or PRIMARY KEY constraint. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
