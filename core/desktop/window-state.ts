// The main window's size and position, kept in the data folder between sessions. Saved bounds are
// checked against the displays present now, because a window placed on a monitor that has since
// been unplugged would otherwise open off screen.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const WINDOW_STATE_FILE = 'window-state.json';

const Rectangle = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type Rectangle = z.infer<typeof Rectangle>;

const WindowState = z.object({ bounds: Rectangle, maximized: z.boolean() });
export type WindowState = z.infer<typeof WindowState>;

/** Smallest part of the window, in pixels, that must lie on one display for the bounds to be kept. */
export const MIN_VISIBLE = { width: 120, height: 60 };

/** Returns the saved state, or null when there is none or the file is damaged. */
export function readWindowState(dataDir: string): WindowState | null {
  const file = path.join(dataDir, WINDOW_STATE_FILE);
  if (!existsSync(file)) return null;
  try {
    const parsed = WindowState.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Writes the state through a temporary file, so a crash mid-write leaves the old state. */
export function writeWindowState(dataDir: string, state: WindowState): void {
  const file = path.join(dataDir, WINDOW_STATE_FILE);
  const partial = `${file}.partial`;
  writeFileSync(partial, `${JSON.stringify(WindowState.parse(state))}\n`);
  renameSync(partial, file);
}

/**
 * Returns the bounds to open the window with: the saved bounds, shrunk to fit the display they
 * are mostly on and moved inside its work area. Returns null when no display shows at least
 * MIN_VISIBLE of them, and the caller then uses its default size, centred.
 */
export function fitToDisplays(saved: Rectangle, workAreas: readonly Rectangle[], minimum: { width: number; height: number }): Rectangle | null {
  let best: Rectangle | null = null;
  let bestOverlap = 0;
  for (const area of workAreas) {
    const overlapWidth = Math.min(saved.x + saved.width, area.x + area.width) - Math.max(saved.x, area.x);
    const overlapHeight = Math.min(saved.y + saved.height, area.y + area.height) - Math.max(saved.y, area.y);
    if (overlapWidth < MIN_VISIBLE.width || overlapHeight < MIN_VISIBLE.height) continue;
    const overlap = overlapWidth * overlapHeight;
    if (overlap > bestOverlap) {
      best = area;
      bestOverlap = overlap;
    }
  }
  if (best === null) return null;

  const width = Math.max(Math.min(saved.width, best.width), Math.min(minimum.width, best.width));
  const height = Math.max(Math.min(saved.height, best.height), Math.min(minimum.height, best.height));
  const x = Math.min(Math.max(saved.x, best.x), best.x + best.width - width);
  const y = Math.min(Math.max(saved.y, best.y), best.y + best.height - height);
  return { x, y, width, height };
}
