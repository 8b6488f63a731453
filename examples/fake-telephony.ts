import type { CallTask } from '../src/index.js';
import type { CallOutcome, Sleep, TelephonyClient } from './dialer-loop.js';

/** One scripted call: its outcome (or `'reject'`: the client's promise rejects) and how long it rings or talks. */
export interface ScriptedCall {
  readonly outcome: CallOutcome | 'reject';
  /** @default the client's `callMs` */
  readonly durationMs?: number;
}

/** A dial the fake client made: when it started and ended, and what it answered. */
export interface DialRecord {
  readonly jobId: string;
  readonly phone: string;
  readonly attempt: number;
  readonly startMs: number;
  endMs: number | undefined;
  outcome: CallOutcome['kind'] | 'reject' | undefined;
}

/**
 * A telephony client with deterministic outcomes: the n-th dial of a phone gets the n-th call of the
 * phone's script (answered once the script runs out). Calls take virtual time through `sleep`. Every
 * dial is recorded in `dials`, so a test can count them and check none was made twice.
 */
export class ScriptedTelephony implements TelephonyClient {
  readonly dials: DialRecord[] = [];
  readonly #scripts: ReadonlyMap<string, readonly ScriptedCall[]>;
  readonly #clock: () => number;
  readonly #sleep: Sleep;
  readonly #callMs: number;
  readonly #dialsByPhone = new Map<string, number>();

  constructor(options: {
    /** Scripts by phone, as digits (the `phone` of a call task). */
    readonly scripts: Readonly<Record<string, readonly ScriptedCall[]>>;
    readonly clock: () => number;
    readonly sleep: Sleep;
    /** @default 60_000 */
    readonly callMs?: number;
  }) {
    this.#scripts = new Map(Object.entries(options.scripts));
    this.#clock = options.clock;
    this.#sleep = options.sleep;
    this.#callMs = options.callMs ?? 60_000;
  }

  async dial(task: CallTask): Promise<CallOutcome> {
    const n = this.#dialsByPhone.get(task.phone) ?? 0;
    this.#dialsByPhone.set(task.phone, n + 1);
    const call = this.#scripts.get(task.phone)?.[n] ?? { outcome: { kind: 'answered' } };
    const record: DialRecord = {
      jobId: task.jobId,
      phone: task.phone,
      attempt: task.attempt,
      startMs: this.#clock(),
      endMs: undefined,
      outcome: undefined,
    };
    this.dials.push(record);
    await this.#sleep(call.durationMs ?? this.#callMs, new AbortController().signal);
    record.endMs = this.#clock();
    record.outcome = call.outcome === 'reject' ? 'reject' : call.outcome.kind;
    if (call.outcome === 'reject') throw new Error(`line error dialing ${task.phone}`);
    return call.outcome;
  }
}
