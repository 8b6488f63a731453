/**
 * The messages between `dialer-sim run --workers K` and its dialer processes (`dialer-worker.ts`), over
 * the IPC channel of `child_process.fork` with the `advanced` serialization (so `Infinity` and
 * `undefined` survive). The coordinator sends one request at a time to a worker and waits for its reply.
 *
 * A run is a barrier protocol on virtual time: at each instant the coordinator asks every worker
 * holding a call that ends by then to `report`, waits for all of them, then asks every worker with a
 * free line to `dial`, waits for all of them, and from the replies (and its own `nextReadyAt`) picks
 * the next instant. No worker is ever ahead of another, so the run stays a discrete-event simulation.
 */
import type { CallTask, Issue, PolicyInput } from '../index.js';
import type { LineGroupTotals } from './dialer-lines.js';
import type { DrawnCall, OutcomeRates } from './outcome-model.js';

/** What the coordinator asks. */
export type WorkerRequest =
  | {
      /** Open the campaign and make the worker's lines. */
      readonly type: 'open';
      readonly connectionString: string;
      readonly name: string;
      readonly lines: number;
      /** The run's seed and the worker's index: worker 0 draws outcomes as a run in one process does. */
      readonly seed: number;
      readonly index: number;
      readonly rates?: Partial<OutcomeRates>;
    }
  /** Report every call that ends at or before `atMs`. */
  | { readonly type: 'report'; readonly atMs: number }
  /** Dial while a line is free at `atMs`. */
  | { readonly type: 'dial'; readonly atMs: number }
  /** Close the campaign and send the totals; the worker then exits. */
  | { readonly type: 'close' };

/** One dial of a worker, for the coordinator's metrics, call log and window checks. */
export interface DialRecord {
  readonly task: CallTask;
  readonly atMs: number;
  readonly call: DrawnCall;
}

/** One redial a worker's report created. */
export interface RedialRecord {
  readonly childId: string;
  readonly parent: CallTask;
  readonly params: PolicyInput;
}

/** The worker's lines after a request. */
export interface LinesState {
  readonly freeLines: number;
  readonly nextEndMs: number;
}

/** What a worker answers, in order. */
export type WorkerReply =
  | { readonly type: 'opened' }
  | ({ readonly type: 'reported'; readonly redials: readonly RedialRecord[] } & LinesState)
  | ({ readonly type: 'dialed'; readonly dials: readonly DialRecord[] } & LinesState)
  | { readonly type: 'closed'; readonly totals: LineGroupTotals }
  | {
      /** The request failed: a `DialerError` (with its issues) or another error. */
      readonly type: 'failed';
      readonly message: string;
      readonly issues?: readonly Issue[];
      readonly omittedIssues?: number;
    };
