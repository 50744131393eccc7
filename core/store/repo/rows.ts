// Helpers shared by the repositories for turning SQLite column values into typed fields.
import type { z } from 'zod';

export function toBoolean(value: number): boolean {
  return value === 1;
}

export function fromBoolean(value: boolean): number {
  return value ? 1 : 0;
}

/**
 * Parses a JSON column with `schema`. Throws an Error naming the table and column when the stored
 * text is not valid, because a silently defaulted setting would change what gets pushed.
 */
export function parseJsonColumn<T>(schema: z.ZodType<T>, text: string, where: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where} contains invalid JSON: ${(error as Error).message}`, { cause: error });
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new Error(`${where} has an unexpected shape: ${result.error.message}`);
  }
  return result.data;
}

/** Escapes `%`, `_` and `\` so user text matches literally in `LIKE ? ESCAPE '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** Builds `SET a = ?, b = ?` from the defined entries of `columns`; undefined entries are left out. */
export function buildAssignments(columns: Record<string, unknown>): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of Object.entries(columns)) {
    if (value === undefined) continue;
    parts.push(`${column} = ?`);
    params.push(value);
  }
  return { sql: parts.join(', '), params };
}
