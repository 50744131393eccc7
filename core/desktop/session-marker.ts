// Detects a session that ended without a clean quit (a crash, a kill, a power loss). A marker file
// is written into the data folder at start and removed after the store closes on quit. A marker
// found at start means the previous session never got that far.
//
// Outbox items that were mid-write then are not resent blindly. Before each Ashby create the
// engine commits `progress.pendingWrite` on the item (core/engine/process-item.ts), and on start
// it returns items left `running` to `pending` with that progress kept. The worker that
// picks such an item up first searches Ashby for the earlier write and only creates again when it
// did not take effect. `countUnverifiedWrites` reports how many items are in that state.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { UncleanExit } from '../../shared/contract/app-updates.js';
import { isoNow, systemClock, type Clock } from '../clock.js';

export const RUNNING_MARKER_FILE = 'console.running';

interface MarkerContent {
  pid: number;
  startedAt: string;
  version: string;
}

export interface PreviousSession {
  startedAt: string;
  version: string;
}

/**
 * Writes the marker for this session and returns the previous session when its marker was still
 * there, i.e. it did not quit cleanly. An unreadable marker still counts as an unclean exit.
 */
export function markSessionRunning(dataDir: string, version: string, clock: Clock = systemClock): PreviousSession | null {
  const file = path.join(dataDir, RUNNING_MARKER_FILE);
  let previous: PreviousSession | null = null;
  if (existsSync(file)) {
    const content = readMarker(file);
    previous = { startedAt: content?.startedAt ?? 'unknown', version: content?.version ?? 'unknown' };
  }
  const marker: MarkerContent = { pid: process.pid, startedAt: isoNow(clock), version };
  writeFileSync(file, `${JSON.stringify(marker)}\n`);
  return previous;
}

/** Removes the marker; call it once the store has closed on a clean quit. */
export function clearSessionRunning(dataDir: string): void {
  rmSync(path.join(dataDir, RUNNING_MARKER_FILE), { force: true });
}

/**
 * Counts outbox items whose last Ashby write has no recorded outcome: those left `running` and
 * those already returned to `pending` with `progress.pendingWrite` set. The engine verifies each
 * in Ashby before writing again.
 */
export function countUnverifiedWrites(db: Database.Database): number {
  const row = db
    .prepare(
      `SELECT count(*) AS count FROM outbox
       WHERE status = 'running'
          OR (status IN ('pending', 'paused') AND json_extract(progress, '$.pendingWrite') IS NOT NULL)`,
    )
    .get() as { count: number };
  return row.count;
}

/** Builds the notice the UI shows after an unclean exit. */
export function describeUncleanExit(previous: PreviousSession, unverifiedWrites: number): UncleanExit {
  const started = previous.startedAt === 'unknown' ? '' : ` (started ${previous.startedAt})`;
  const writes =
    unverifiedWrites === 0
      ? 'No Ashby write was left without an outcome.'
      : `${unverifiedWrites} queued push${unverifiedWrites === 1 ? ' was' : 'es were'} in the middle of an Ashby write. ` +
        'Each is checked in Ashby before anything is sent again, so nothing is created twice.';
  return {
    startedAt: previous.startedAt,
    version: previous.version,
    unverifiedWrites,
    message: `The last session${started} ended unexpectedly. ${writes}`,
  };
}

function readMarker(file: string): MarkerContent | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<MarkerContent>;
    if (typeof parsed.startedAt !== 'string' || typeof parsed.version !== 'string') return null;
    return { pid: Number(parsed.pid), startedAt: parsed.startedAt, version: parsed.version };
  } catch {
    return null;
  }
}

