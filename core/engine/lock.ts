// The engine lock: one engine processes a data folder at a time. The holder renews a heartbeat; a
// lock whose heartbeat has expired (its process died) may be taken over.
import type Database from 'better-sqlite3';
import { isoNow, type Clock } from '../clock.js';

export interface LockHolder {
  owner: string;
  pid: number;
  heartbeat_at: string;
  expires_at: string;
}

/** Takes the lock for `owner`, or renews it for its current owner. Returns false while another live engine owns it. */
export function acquireLock(
  db: Database.Database,
  clock: Clock,
  owner: string,
  ttlMs: number,
): boolean {
  const now = isoNow(clock);
  const expires = new Date(clock.now() + ttlMs).toISOString();
  return db
    .transaction(() => {
      const current = db.prepare('SELECT owner, expires_at FROM engine_lock WHERE id = 1').get() as
        { owner: string; expires_at: string } | undefined;
      if (current !== undefined && current.owner !== owner && current.expires_at > now)
        return false;
      db.prepare(
        `INSERT INTO engine_lock (id, owner, pid, acquired_at, heartbeat_at, expires_at) VALUES (1, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, pid = excluded.pid,
         acquired_at = CASE WHEN engine_lock.owner = excluded.owner THEN engine_lock.acquired_at ELSE excluded.acquired_at END,
         heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at`,
      ).run(owner, process.pid, now, now, expires);
      return true;
    })
    .immediate();
}

export function releaseLock(db: Database.Database, owner: string): void {
  db.prepare('DELETE FROM engine_lock WHERE id = 1 AND owner = ?').run(owner);
}

export function lockHolder(db: Database.Database): LockHolder | undefined {
  return db
    .prepare('SELECT owner, pid, heartbeat_at, expires_at FROM engine_lock WHERE id = 1')
    .get() as LockHolder | undefined;
}
