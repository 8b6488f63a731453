import type { PolicyInput, TimeIntervalInput, Weekday } from '../index.js';

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Calling intervals per weekday key, as an entry writes them. */
export type AllowedTimeInput = { readonly [key in Weekday | 'default']?: readonly TimeIntervalInput[] };

/**
 * The calling policy the engine applies to a job, after inheritance (spec section 3), written as an entry
 * would write it, so that it can be checked on its own: no level below or above it is needed.
 */
export interface EffectivePolicy {
  /**
   * The zone as the entry (or the campaign defaults) wrote it; `UTC` when neither did; the number's
   * zones, several when its area spans them, when it came from the number (spec section 12).
   */
  readonly gmtZone: string | readonly string[];
  /** Sorted Monday first, without repeats; absent when every day is allowed. */
  readonly allowedDays?: readonly Weekday[];
  /** Per-day lists and `default`; absent when every day is the whole day. */
  readonly allowedTime?: AllowedTimeInput;
  readonly startDateTime?: string | number;
  readonly finishDateTime?: string | number;
}

/**
 * The effective window policy of a job whose own fields are `own` over the campaign `defaults`: each
 * field from `own`, else from `defaults`; the rules of a day from `own.allowedTime[day]`, else
 * `own.allowedTime.default`, else the defaults' `[day]`, else the defaults' `default`, else the whole
 * day. The zone is `zone` when given (a redial keeps its number's zone), else `own.gmtZone`, else the
 * defaults', else UTC. Local start and finish date-times stay local: they are read in that zone.
 */
export function effectivePolicy(
  own: PolicyInput,
  defaults: PolicyInput,
  zone?: string | readonly string[],
): EffectivePolicy {
  const policy: { -readonly [K in keyof EffectivePolicy]: EffectivePolicy[K] } = {
    gmtZone: zone ?? own.gmtZone ?? defaults.gmtZone ?? 'UTC',
  };
  const days = own.allowedDays ?? defaults.allowedDays;
  if (days !== undefined) {
    const set = WEEKDAYS.filter((day) => days.includes(day));
    if (set.length < WEEKDAYS.length) policy.allowedDays = set;
  }
  const allowedTime = mergeAllowedTime(own.allowedTime, defaults.allowedTime);
  if (allowedTime !== undefined) policy.allowedTime = allowedTime;
  const start = own.startDateTime ?? defaults.startDateTime;
  if (start !== undefined) policy.startDateTime = start;
  const finish = own.finishDateTime ?? defaults.finishDateTime;
  if (finish !== undefined) policy.finishDateTime = finish;
  return policy;
}

const firstZoneCopies = new WeakMap<EffectivePolicy, EffectivePolicy & { readonly gmtZone: string }>();

/**
 * `policy` read in its first zone, as the public window functions take a policy (one `gmtZone`): the
 * policy itself when it has one zone, else one copy per policy, so that the window functions' caches
 * (kept per policy object) still hold.
 */
export function inFirstZone(policy: EffectivePolicy): EffectivePolicy & { readonly gmtZone: string } {
  const { gmtZone } = policy;
  if (typeof gmtZone === 'string') return policy as EffectivePolicy & { readonly gmtZone: string };
  let copy = firstZoneCopies.get(policy);
  if (copy === undefined) {
    copy = { ...policy, gmtZone: gmtZone[0] ?? 'UTC' };
    firstZoneCopies.set(policy, copy);
  }
  return copy;
}

/** The per-day rules of two levels merged into one `allowedTime`: the commonest list as `default`. */
function mergeAllowedTime(
  own: AllowedTimeInput | undefined,
  defaults: AllowedTimeInput | undefined,
): AllowedTimeInput | undefined {
  if (own === undefined && defaults === undefined) return undefined;
  const lists = WEEKDAYS.map((day) => own?.[day] ?? own?.default ?? defaults?.[day] ?? defaults?.default);
  const texts = lists.map((list) => (list === undefined ? '' : JSON.stringify(list)));
  if (texts.every((text) => text === '')) return undefined;
  let commonest = 0;
  let most = 0;
  for (let i = 0; i < texts.length; i++) {
    const count = texts.filter((text) => text === texts[i]).length;
    if (count > most) [commonest, most] = [i, count];
  }
  const wholeDay = [{ localTimeFrom: '00:00', localTimeTo: '24:00' }];
  const merged: { [key in Weekday | 'default']?: readonly TimeIntervalInput[] } = {};
  for (let i = 0; i < WEEKDAYS.length; i++) {
    if (texts[i] !== texts[commonest]) merged[WEEKDAYS[i]!] = lists[i] ?? wholeDay;
  }
  merged.default = lists[commonest] ?? wholeDay;
  return merged;
}

/** One interned effective policy, with its JSON for the call log. */
export interface PolicyRecord {
  readonly policy: EffectivePolicy;
  readonly json: string;
}

/**
 * Effective policies interned by content: a million jobs share a few thousand policy objects, so each is
 * compiled once by the window functions (which cache per object) and serialised once for the log.
 */
export class EffectivePolicyTable {
  readonly records: PolicyRecord[] = [];
  readonly #ids = new Map<string, number>();
  readonly #defaults: PolicyInput;

  constructor(defaults: PolicyInput) {
    this.#defaults = defaults;
  }

  /**
   * The record index of the effective policy of `own`: an entry (with `zone` the one the campaign's
   * `zoneResolver` gave it, when neither it nor the defaults have one), or redial params with `zone`
   * the number's.
   */
  intern(own: PolicyInput, zone?: string | readonly string[]): number {
    const d = this.#defaults;
    const key = JSON.stringify([
      zone ?? own.gmtZone ?? d.gmtZone,
      own.allowedDays ?? d.allowedDays,
      own.allowedTime ?? null,
      own.startDateTime ?? d.startDateTime,
      own.finishDateTime ?? d.finishDateTime,
    ]);
    let id = this.#ids.get(key);
    if (id === undefined) {
      const policy = effectivePolicy(own, d, zone);
      id = this.records.length;
      this.records.push({ policy, json: JSON.stringify(policy) });
      this.#ids.set(key, id);
    }
    return id;
  }

  /** The effective `retryIntervalInMinutes` of `own`. */
  retryMinutes(own: PolicyInput): number {
    return own.retryIntervalInMinutes ?? this.#defaults.retryIntervalInMinutes ?? 60;
  }
}
