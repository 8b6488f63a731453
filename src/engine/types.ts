import type { Issue } from '../errors.js';
import type { JsonValue } from '../policy/types.js';
import type { JobState } from './job-state.js';

/** A job served by `next`: one call attempt to make (spec section 5). */
export interface CallTask {
  readonly jobId: string;
  /** Digits only. */
  readonly phone: string;
  readonly payload: JsonValue | undefined;
  /** 1-based attempt number within the job's series. */
  readonly attempt: number;
  readonly dialerPriority: number;
  /** When the window this call was served in closes (epoch ms; `Infinity` when never). */
  readonly windowEnd: number;
  /**
   * When the job became ready for this attempt (epoch ms): the later of its window's start and its
   * retry pause's end (spec section 5, key 3). `next`'s instant minus this is the time it waited.
   */
  readonly readyAt: number;
  /** Normalised zone ID of the number; with several zones, the first of `gmtZones`. */
  readonly gmtZone: string;
  /**
   * Every zone the number's policy is read in, sorted: one, or several when the zone came from a number
   * whose area spans zones (spec section 12; allowed only when allowed in each).
   */
  readonly gmtZones: readonly string[];
}

/** A read-only view of a job (spec section 9). */
export interface JobView {
  readonly id: string;
  readonly phone: string;
  readonly payload: JsonValue | undefined;
  readonly state: JobState;
  /** Attempts started so far. */
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly dialerPriority: number;
  /** Normalised zone ID of the number; with several zones, the first of `gmtZones`. */
  readonly gmtZone: string;
  /** Every zone the number's policy is read in, sorted (see `CallTask.gmtZones`). */
  readonly gmtZones: readonly string[];
  /** When the job becomes (or became) ready for its next attempt; null when dialing, final or a redial not yet released. */
  readonly nextAttemptAt: number | null;
  /** The job this one redials, or null. */
  readonly redialOf: string | null;
}

/** What `addPhones` returns (spec section 9). */
export interface AddPhonesResult {
  /** One per entry in input order: the new job, the existing job of a duplicate, or null for a rejected or blocked entry. */
  readonly jobIds: (string | null)[];
  /** Indexes of entries ignored as duplicates. */
  readonly duplicates: number[];
  /**
   * Indexes of entries not added because their phone is on the do-not-call list or named by the
   * `doNotCall` option (spec section 12); their `jobIds` slot is null. Blocked wins over duplicate.
   */
  readonly blocked: number[];
  readonly warnings: Issue[];
  /** Issues of rejected entries (partial mode only), the first `MAX_ISSUES` (1,000) of them. */
  readonly rejected: Issue[];
  /** Issues of rejected entries left out of `rejected` past the cap (at least: one per entry past it). */
  readonly omittedRejected: number;
}

/** Jobs by state, and their total. */
export type CampaignStats = { readonly [state in JobState]: number } & { readonly total: number };

/** Options of `addPhones`. */
export interface AddPhonesOptions {
  readonly now?: number;
  /** Add the valid entries and return the rejected ones' issues instead of throwing. @default false */
  readonly partial?: boolean;
}

/** What `cancel` selects: job IDs, and every unfinished job of some phones. */
export interface CancelSelection {
  readonly jobIds?: readonly string[];
  readonly phones?: readonly (string | number)[];
}
