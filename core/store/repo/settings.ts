// App-wide settings as JSON values under string keys.
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { parseJsonColumn } from './rows.js';

/** Returns the value stored under `key` parsed with `schema`, or null when the key is not set. */
export function getSetting<T>(db: Database.Database, key: string, schema: z.ZodType<T>): T | null {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? parseJsonColumn(schema, row.value, `setting "${key}"`) : null;
}

/** Stores `value` as JSON under `key`, replacing any earlier value. */
export function setSetting(db: Database.Database, key: string, value: unknown): void {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`Setting "${key}" cannot be stored: its value is not JSON.`);
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    key,
    json,
  );
}

/** Removes `key`; returns false when it was not set. */
export function deleteSetting(db: Database.Database, key: string): boolean {
  return db.prepare('DELETE FROM settings WHERE key = ?').run(key).changes > 0;
}
