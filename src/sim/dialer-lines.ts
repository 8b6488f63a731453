import TinyQueue from 'tinyqueue';
import {
  type AsyncCampaign,
  type CallTask,
  DialerError,
  type GmtZone,
  type PolicyInput,
  parseGmtZone,
} from '../index.js';
import type { DrawnCall, OutcomeModel } from './outcome-model.js';
import { Random } from './random.js';

/** What lines tell the simulation that owns them: each dial as it is made, each redial it asked for. */
export interface DialerLinesListener {
  /** `task` was dialed at `atMs`; `call` is how the model says it goes. */
  dialed(task: CallTask, atMs: number, call: DrawnCall): void;
  /** A callback of `parent`'s call created the redial job `childId` with `params`. */
  redialed(childId: string, parent: CallTask, params: PolicyInput): void;
}

/**
 * Lines of a simulated dialer, in this process or in a worker process: what the simulation loop moves
 * from one instant to the next. The loop calls `report` then `dial` at each instant, in that order.
 */
export interface LineGroup {
  /** Lines not holding a call. */
  readonly freeLines: number;
  /** When the earliest call in progress ends, epoch ms; `Infinity` when no line holds a call. */
  readonly nextEndMs: number;
  /** Reports every call that ends at or before `atMs`, earliest first. */
  report(atMs: number): Promise<void>;
  /** Dials what the campaign serves at `atMs` while a line is free; resolves to the number of dials. */
  dial(atMs: number): Promise<number>;
  /** Ends the group's part of the run and resolves to what it counted. */
  close(): Promise<LineGroupTotals>;
}

/** What a line group counted over its run. */
export interface LineGroupTotals {
  /** Reports the campaign refused because the lease had expired. */
  readonly lateReports: number;
  /**
   * Leases that expired in the group's own campaign calls: 0 for lines in the simulation's process,
   * whose campaign is the one the simulation listens to.
   */
  readonly leaseRecoveries: number;
}

interface CallInProgress {
  readonly endMs: number;
  readonly seq: number;
  readonly task: CallTask;
  readonly call: DrawnCall;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The random source of the outcomes of line group `group` (0-based) in a run of `seed`: group 0 draws
 * as a run whose lines are all in one process, the others from streams of their own.
 */
export function outcomeRandom(seed: number, group: number): Random {
  return Random.derive(seed, group === 0 ? 2 : 100 + group);
}

/**
 * `lines` concurrent lines dialing `campaign`: each call's outcome is drawn from `model` by the
 * callee's local hour, and reported when it ends (complete, fail, or redial then complete for a
 * callback; a lost report is left to the lease).
 */
export class DialerLines implements LineGroup {
  readonly #campaign: AsyncCampaign;
  readonly #model: OutcomeModel;
  readonly #listener: DialerLinesListener;
  readonly #calls = new TinyQueue<CallInProgress>([], (a, b) => a.endMs - b.endMs || a.seq - b.seq);
  readonly #zones = new Map<string, GmtZone>();
  #seq = 0;
  #freeLines: number;
  #lateReports = 0;

  constructor(campaign: AsyncCampaign, lines: number, model: OutcomeModel, listener: DialerLinesListener) {
    this.#campaign = campaign;
    this.#freeLines = lines;
    this.#model = model;
    this.#listener = listener;
  }

  get freeLines(): number {
    return this.#freeLines;
  }

  get nextEndMs(): number {
    return this.#calls.peek()?.endMs ?? Number.POSITIVE_INFINITY;
  }

  async report(atMs: number): Promise<void> {
    const campaign = this.#campaign;
    for (let top = this.#calls.peek(); top !== undefined && top.endMs <= atMs; top = this.#calls.peek()) {
      this.#calls.pop();
      this.#freeLines++;
      const { task, call } = top;
      // One awaited campaign call per report (two for a callback), no promise of its own.
      try {
        switch (call.outcome) {
          case 'lost':
            break;
          case 'answered':
            await campaign.complete(task, atMs);
            break;
          case 'callback': {
            const params = callbackParams(call, atMs);
            const childId = await campaign.redial(task, params, atMs);
            if (childId !== null) this.#listener.redialed(childId, task, params);
            await campaign.complete(task, atMs);
            break;
          }
          case 'busy':
          case 'noAnswer':
            await campaign.fail(task, atMs);
            break;
          default: {
            const never: never = call.outcome;
            throw new Error(`unknown outcome ${String(never)}`);
          }
        }
      } catch (error) {
        if (!(error instanceof DialerError) || error.issues[0]?.code !== 'lease.expired') throw error;
        this.#lateReports++;
      }
    }
  }

  async dial(atMs: number): Promise<number> {
    let dials = 0;
    while (this.#freeLines > 0) {
      const task = await this.#campaign.next(atMs);
      if (task === undefined) break;
      let zone = this.#zones.get(task.gmtZone);
      if (zone === undefined) {
        zone = parseGmtZone(task.gmtZone);
        this.#zones.set(task.gmtZone, zone);
      }
      const localMs = atMs + zone.offsetSecondsAt(atMs) * 1000;
      const localHour = Math.floor((((localMs % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
      const call = this.#model.draw(localHour);
      this.#listener.dialed(task, atMs, call);
      this.#calls.push({ endMs: atMs + call.durationMs, seq: this.#seq++, task, call });
      this.#freeLines--;
      dials++;
    }
    return dials;
  }

  async close(): Promise<LineGroupTotals> {
    return { lateReports: this.#lateReports, leaseRecoveries: 0 };
  }
}

/** What the callee of a callback asked for: two attempts, first priority, evenings if they said so. */
function callbackParams(call: DrawnCall, atMs: number): PolicyInput {
  return {
    startDateTime: new Date(atMs + call.callbackAfterMs).toISOString(),
    maxAttempts: 2,
    dialerPriority: 1,
    ...(call.callbackEvenings
      ? { allowedTime: { default: [{ localTimeFrom: '18:00', localTimeTo: '21:00' }] } }
      : {}),
  };
}
