// The ordered, append-only list of schema migrations. To change the schema, add a new numbered
// file next to this one and append it here; never edit or reorder a released entry.
import { migration001 } from './001-initial.js';
import { migration002 } from './002-audit-search-and-purge.js';
import { migration003 } from './003-engine.js';
import { migration004 } from './004-candidate-list-indexes.js';
import { migration005 } from './005-candidate-resume-problem.js';
import { migration006 } from './006-role-stage-mapping.js';
import { migration007 } from './007-import-journal.js';
import { migration008 } from './008-outbox-outcome-index.js';
import { migration009 } from './009-audit-index-in-batches.js';

export interface Migration {
  /** Becomes `PRAGMA user_version` once applied; versions are 1, 2, 3, … with no gaps. */
  readonly version: number;
  readonly name: string;
  /** Statements run with `db.exec` inside the migration transaction. */
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
];

/** Throws if `migrations` is not numbered 1, 2, 3, … in order, which would make `user_version` ambiguous. */
export function assertMigrationOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `Migration list is out of order: entry ${index} (${migration.name}) has version ` +
          `${migration.version}, expected ${index + 1}.`,
      );
    }
  });
}

/** Returns the schema version a database has after `migrations` have all run. */
export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.at(-1)?.version ?? 0;
}
