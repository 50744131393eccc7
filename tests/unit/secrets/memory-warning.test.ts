// In its own file because the warning is logged once per process, and vitest runs each file in a
// fresh process.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createSecretStore } from '../../../core/secrets/secret-store.js';

describe('memory secret store warning', () => {
  it('is logged once per process', () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({}, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });

    createSecretStore({ ASHBY_SYNC_SECRET_STORE: 'memory' }, { logger });
    createSecretStore({ ASHBY_SYNC_SECRET_STORE: 'memory' }, { logger });

    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe(40);
    expect(String(lines[0]?.msg)).toContain('in memory for this process only');
  });
});
