/**
 * Leaving a screen that holds unsaved work asks first. A screen with such
 * work (the delegates tab's choices) holds leaving while it is shown; every
 * way out (another tab, Kembali or Esc, the main menu) goes through
 * `leaveThen`, so the screen can ask the cadre before they lose it.
 */

/**
 * Answers true when it holds the way out: the screen then asks the cadre and
 * calls `leave` itself if they agree. False lets the cadre leave at once.
 */
export type LeaveGuard = (leave: () => void) => boolean;

let guard: LeaveGuard | null = null;

/** Holds leaving with `next` until the returned function releases it. */
export function holdLeaving(next: LeaveGuard): () => void {
  guard = next;
  return () => {
    if (guard === next) guard = null;
  };
}

/** Leaves (`leave`) now, or once the screen holding it lets go. */
export function leaveThen(leave: () => void): void {
  if (guard?.(leave)) return;
  leave();
}
