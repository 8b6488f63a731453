import type { CallSchedule } from '../schedule/call-schedule.js';
import { JobStore } from './job-store.js';

/**
 * Everything a campaign knows, as plain data: what a snapshot holds. The queues are derived from it
 * (see Campaign), so they are rebuilt rather than stored.
 */
export class EngineState {
  readonly jobs = new JobStore();
  /** Compiled schedules, shared by the jobs with the same effective policy. */
  readonly schedules: CallSchedule[] = [];
  readonly scheduleIds = new Map<CallSchedule, number>();
  /** Phones (digits) by phone index, with their attempts over all series and their first job. */
  readonly phones: string[] = [];
  readonly phoneIds = new Map<string, number>();
  readonly phoneAttempts: number[] = [];
  readonly phoneFirstJob: number[] = [];
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

  /** The index of a phone, adding it when new. */
  phoneId(phone: string): number {
    let id = this.phoneIds.get(phone);
    if (id === undefined) {
      id = this.phones.length;
      this.phones.push(phone);
      this.phoneIds.set(phone, id);
      this.phoneAttempts.push(0);
      this.phoneFirstJob.push(-1);
    }
    return id;
  }
}
