import type { CallSchedule } from '../schedule/call-schedule.js';
import { JobStore } from './job-store.js';
import { PhoneTable } from './phone-table.js';

/**
 * Everything a campaign knows, as plain data: what a snapshot holds. The queues are derived from it
 * (see Campaign), so they are rebuilt rather than stored.
 */
export class EngineState {
  readonly jobs = new JobStore();
  /** Compiled schedules, shared by the jobs with the same effective policy. */
  readonly schedules: CallSchedule[] = [];
  readonly scheduleIds = new Map<CallSchedule, number>();
  /** Phones with their attempts over all series and their jobs. */
  readonly phones = new PhoneTable();
  /**
   * Interned schedule keys (`scheduleKey` of an entry's own fields) of the jobs the duplicate check
   * remembers: a job stores the index.
   */
  readonly policyKeys: string[] = [];
  readonly policyKeyIds = new Map<string, number>();
  /** The latest `now` seen (spec: the campaign's time); `-Infinity` before the first call. */
  latestMs = Number.NEGATIVE_INFINITY;
  paused = false;

  /** The index of a schedule, adding it to the table when new. */
  scheduleId(schedule: CallSchedule): number {
    let id = this.scheduleIds.get(schedule);
    if (id === undefined) {
      id = this.schedules.length;
      this.schedules.push(schedule);
      this.scheduleIds.set(schedule, id);
    }
    return id;
  }

  /** The index of a policy key, adding it when new. */
  policyKeyId(key: string): number {
    let id = this.policyKeyIds.get(key);
    if (id === undefined) {
      id = this.policyKeys.length;
      this.policyKeys.push(key);
      this.policyKeyIds.set(key, id);
    }
    return id;
  }
}
