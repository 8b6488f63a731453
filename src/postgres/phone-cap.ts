import { capFreeAtMs } from '../engine/phone-caps.js';
import type { CampaignRules } from '../policy/phone-rules.js';

/** A phone's starts after one more, and when its cap lets an attempt start again (`-Infinity`: it does). */
export interface PhoneCapUpdate {
  readonly startsMs: readonly number[];
  readonly untilMs: number;
}

/**
 * The phone row's `maxAttemptsPer24h` columns after an attempt starts at `atMs` (spec section 12): its
 * latest starts, at most the cap, and the oldest counted + 24 h once it has the cap's count; `undefined`
 * for a phone no rule caps (its row is left as it is).
 */
export function capUpdateOf(
  rules: CampaignRules,
  digits: string,
  startsMs: readonly number[] | null,
  atMs: number,
): PhoneCapUpdate | undefined {
  if (rules.all.maxAttemptsPer24h === undefined) return undefined;
  const cap = rules.forPhone(digits).maxAttemptsPer24h;
  if (cap === undefined) return undefined;
  const starts = [...(startsMs ?? []), atMs].slice(-cap);
  return { startsMs: starts, untilMs: capFreeAtMs(starts, cap) };
}

/**
 * The phone row's `cap_count` (migration 8): the phone's `maxAttemptsPer24h` as the campaign's rules
 * give it for its number, 0 for none; -1 in a campaign without such rules (never read there).
 */
export function capCountOf(rules: CampaignRules, digits: string): number {
  if (rules.all.maxAttemptsPer24h === undefined) return -1;
  return rules.forPhone(digits).maxAttemptsPer24h ?? 0;
}

/** Whether `update` is what the database wrote for a phone's starts (`startsMs`, null: not written) and cap. */
export function sameCapUpdate(
  update: PhoneCapUpdate | undefined,
  startsMs: readonly number[] | null,
  untilMs: number | null,
): boolean {
  if (update === undefined) return startsMs === null;
  return (
    startsMs !== null &&
    untilMs === update.untilMs &&
    startsMs.length === update.startsMs.length &&
    startsMs.every((start, k) => start === update.startsMs[k])
  );
}
