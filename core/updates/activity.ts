// The runs an update install must not interrupt: bulk pushes and link resolutions write to Ashby
// in the background, so a restart waits until none has status `running`. Paused runs write
// nothing and resume after the restart, so they do not hold an install back.
import type Database from 'better-sqlite3';

export interface WorkActivity {
  bulkPushes: number;
  linkResolutions: number;
}

export const IDLE: WorkActivity = { bulkPushes: 0, linkResolutions: 0 };

/** Counts the bulk pushes and link resolutions now running, from the `runs` table. */
export function readWorkActivity(db: Database.Database): WorkActivity {
  const row = db
    .prepare(
      `SELECT COALESCE(SUM(kind = 'bulk_push'), 0) AS bulkPushes,
              COALESCE(SUM(kind = 'link_resolution'), 0) AS linkResolutions
       FROM runs WHERE status = 'running' AND kind IN ('bulk_push', 'link_resolution')`,
    )
    .get() as WorkActivity;
  return { bulkPushes: row.bulkPushes, linkResolutions: row.linkResolutions };
}

export function isBusy(activity: WorkActivity): boolean {
  return activity.bulkPushes > 0 || activity.linkResolutions > 0;
}

/** Returns the sentence the update banner shows while an install waits, e.g. "Waiting for 1 bulk push to finish." */
export function describeActivity(activity: WorkActivity): string {
  const parts: string[] = [];
  if (activity.bulkPushes > 0) parts.push(plural(activity.bulkPushes, 'bulk push', 'bulk pushes'));
  if (activity.linkResolutions > 0) parts.push(plural(activity.linkResolutions, 'link resolution', 'link resolutions'));
  if (parts.length === 0) return 'Nothing is running.';
  return `Waiting for ${parts.join(' and ')} to finish.`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
