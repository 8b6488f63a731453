import type { CallSchedule, CallWindow } from '../schedule/call-schedule.js';

const DAY_MS = 86_400_000;
/**
 * Unless every minute of the week is allowed, a window is shorter than a week and a bit (a DST change
 * shifts it by an hour or so; blackout days only cut windows shorter): the window current at an instant
 * started less than this before it.
 */
const LOOKBACK_MS = 8 * DAY_MS;
/** Every week of a schedule has allowed time (but a DST gap may swallow one): its last window ends within this of its finish. */
const LAST_WINDOW_MS = 15 * DAY_MS;

/**
 * The window a job looking for windows from `fromMs` is in at `atMs`: the first window of that sequence
 * whose end is after `atMs` (it may start before, at or after `atMs`), or `null` when none is left. The
 * cost does not depend on how far `atMs` lies after `fromMs`: a campaign that jumps ten years ahead
 * finds each job's window at once rather than stepping through every window passed.
 */
export function windowAt(schedule: CallSchedule, fromMs: number, atMs: number): CallWindow | null {
  // Always allowed: one window from `fromMs` on (blackout days cut it into several: the general case).
  if (schedule.weekly.isAlways && schedule.blackout.isEmpty) {
    const window = schedule.nextWindow(fromMs);
    return window !== null && window.end > atMs ? window : null;
  }
  const probeMs = atMs - LOOKBACK_MS;
  let window = schedule.nextWindow(Math.max(probeMs, fromMs));
  if (window !== null && probeMs > fromMs && window.start === probeMs && window.end > atMs) {
    // Open at the probe and still at `atMs`: a window longer than the look-back (a DST gap swallowed the
    // week's only break); its start lies further back.
    window = schedule.nextWindow(fromMs);
  }
  while (window !== null && window.end <= atMs) window = schedule.nextWindow(window.end);
  return window;
}

/**
 * The last window of a job looking for windows from `fromMs`, or `null` when it has none. Only for
 * schedules with a finite finish.
 */
export function lastWindow(schedule: CallSchedule, fromMs: number): CallWindow | null {
  const probeMs = schedule.finishMs - LAST_WINDOW_MS;
  let window = schedule.nextWindow(Math.max(probeMs, fromMs));
  if (window === null && probeMs > fromMs) window = schedule.nextWindow(fromMs);
  let last: CallWindow | null = null;
  while (window !== null) {
    last = window;
    window = schedule.nextWindow(window.end);
  }
  return last;
}
