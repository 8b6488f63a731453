/** Weekday keys, Monday first: the weekly rules' days (and `allowedDays`' and `allowedTime`'s keys). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A calling interval of one day in minutes: `[fromMinute, toMinute)`, overnight when `fromMinute > toMinute`. */
export interface TimeInterval {
  /** 0..1439 (`00:00`..`23:59`). */
  readonly fromMinute: number;
  /** 0..1440 (`24:00` is 1440); never equal to `fromMinute`. */
  readonly toMinute: number;
}

/** The intervals of each weekday, Monday first (seven lists; an empty list allows nothing that day). */
export type WeeklyRules = readonly (readonly TimeInterval[])[];

/** The whole day, `00:00` to `24:00`. */
export const WHOLE_DAY: readonly TimeInterval[] = [{ fromMinute: 0, toMinute: 1440 }];
