import type { Issue } from '../errors.js';

/** Lifecycle event types (spec section 9). */
export type CampaignEventType =
  | 'added'
  | 'dialing'
  | 'retry'
  | 'completed'
  | 'exhausted'
  | 'expired'
  | 'cancelled'
  | 'redialed'
  | 'leaseExpired'
  | 'warning';

export const EVENT_TYPES: readonly CampaignEventType[] = [
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
];

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

/** Listeners by event type, called synchronously in registration order. */
export class EventHub {
  readonly #listeners = new Map<CampaignEventType, CampaignListener[]>();

  on(type: CampaignEventType, listener: CampaignListener): () => void {
    const list = this.#listeners.get(type) ?? [];
    list.push(listener);
    this.#listeners.set(type, list);
    return () => {
      const current = this.#listeners.get(type);
      const at = current?.indexOf(listener) ?? -1;
      if (current !== undefined && at >= 0) current.splice(at, 1);
    };
  }

  /** Whether anyone listens to `type` (so callers can skip building events nobody reads). */
  has(type: CampaignEventType): boolean {
    return (this.#listeners.get(type)?.length ?? 0) > 0;
  }

  emit(event: CampaignEvent): void {
    const list = this.#listeners.get(event.type);
    if (list === undefined) return;
    for (const listener of [...list]) listener(event);
  }
}
