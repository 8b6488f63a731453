import { DialerError, type Issue, quote } from '../errors.js';

/** Lifecycle event types (spec section 9), as a run-time list and its union. */
export const EVENT_TYPES = [
  'added',
  'dialing',
  'retry',
  'completed',
  'exhausted',
  'expired',
  'cancelled',
  'redialed',
  'leaseExpired',
  'warning',
] as const;

export type CampaignEventType = (typeof EVENT_TYPES)[number];

/**
 * One lifecycle change. `atMs` is the instant it happened (a lease's expiry instant, not the call that
 * noticed it); `attempt` the attempts started so far (0 for `added`; the attempt that ended for `retry`
 * and `leaseExpired`). `warning` events carry the `issue`.
 */
export interface CampaignEvent {
  readonly type: CampaignEventType;
  readonly jobId: string;
  readonly atMs: number;
  readonly attempt: number;
  readonly issue?: Issue;
}

export type CampaignListener = (event: CampaignEvent) => void;

/**
 * Listeners by event type. Events are queued while a call changes the campaign and delivered by
 * `flush` once the change is complete, so a listener sees (and may call into) a consistent campaign,
 * and one that throws cannot leave a change half-applied.
 */
export class EventHub {
  readonly #listeners = new Map<CampaignEventType, CampaignListener[]>();
  /** Listener counts by type, for `has` on the serving path without a map lookup. */
  readonly #counts: Record<CampaignEventType, number> = Object.fromEntries(
    EVENT_TYPES.map((type) => [type, 0]),
  ) as Record<CampaignEventType, number>;
  #queued: CampaignEvent[] = [];

  on(type: CampaignEventType, listener: CampaignListener): () => void {
    const list = this.#listeners.get(type) ?? [];
    list.push(listener);
    this.#listeners.set(type, list);
    this.#counts[type]++;
    return () => {
      const current = this.#listeners.get(type);
      const at = current?.indexOf(listener) ?? -1;
      if (current !== undefined && at >= 0) {
        current.splice(at, 1);
        this.#counts[type]--;
      }
    };
  }

  /** Whether anyone listens to `type` (so callers can skip building events nobody reads). */
  has(type: CampaignEventType): boolean {
    return this.#counts[type] > 0;
  }

  /** Queues an event for the next `flush`. */
  queue(event: CampaignEvent): void {
    this.#queued.push(event);
  }

  /**
   * Delivers the queued events in order, to the listeners registered at delivery. Every event reaches
   * every listener; the first exception a listener threw is rethrown afterwards. Events queued by calls
   * a listener makes are delivered by those calls' own flush.
   */
  flush(): void {
    if (this.#queued.length === 0) return;
    const events = this.#queued;
    this.#queued = [];
    let failure: { error: unknown } | undefined;
    for (const event of events) {
      const list = this.#listeners.get(event.type);
      if (list === undefined) continue;
      for (const listener of [...list]) {
        try {
          listener(event);
        } catch (error) {
          failure ??= { error };
        }
      }
    }
    if (failure !== undefined) throw failure.error;
  }
}

/** Checks the arguments of `on(type, listener)` (either backend). */
export function checkListener(type: unknown, listener: unknown): void {
  if (!(EVENT_TYPES as readonly unknown[]).includes(type)) {
    throw new DialerError([
      {
        path: ['type'],
        code: 'invalid.option',
        message: `event type ${quote(type)} is not known: expected one of ${EVENT_TYPES.join(', ')}.`,
      },
    ]);
  }
  if (typeof listener !== 'function') {
    throw new DialerError([
      {
        path: ['listener'],
        code: 'invalid.option',
        message: `listener ${quote(listener)} is not valid: expected a function.`,
      },
    ]);
  }
}
