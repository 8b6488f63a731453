/**
 * Brute-force reference for `explainCall`'s layers (spec section 12, "Explain"), written from the
 * README's definition of the layers on raw entry-shaped objects, over the luxon-based WindowOracle. It
 * shares no code with src/.
 *
 * - `entry`: the policy's own bounds; on the weekly wall clock, what its own days and hours allow (a day
 *   its own allowedDays leave out: nothing; a day only the defaults leave out: the whole day; a day it
 *   sets no hours for: the whole day), or what the policy over its defaults allows.
 * - `defaults`: the bounds the policy inherits; the defaults' days when the policy sets none, their
 *   hours on the days the policy sets none for (the whole day otherwise), or what the whole policy allows.
 * - `rule:<name>`: the rule alone, unbounded.
 */
import { type OraclePolicy, type OracleRule, WindowOracle } from './window-oracle.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
type Interval = { localTimeFrom: string; localTimeTo: string };
const WHOLE: Interval[] = [{ localTimeFrom: '00:00', localTimeTo: '24:00' }];

/** One layer: whether it allows an instant, and the first instant at or after one that it allows. */
export interface OracleLayer {
  readonly layer: string;
  isAllowed(t: number): boolean;
  nextAllowed(t: number): number | null;
}

/** A layer allowing `bounds ∧ (a ∨ b)`, where `a` and `b` are unbounded weekly oracles. */
function unionLayer(layer: string, bounds: WindowOracle, a: WindowOracle, b: WindowOracle): OracleLayer {
  return {
    layer,
    isAllowed: (t) => t >= bounds.startMs && t < bounds.finishMs && (a.isAllowed(t) || b.isAllowed(t)),
    nextAllowed(t) {
      const from = Math.max(t, bounds.startMs);
      if (from >= bounds.finishMs) return null;
      const starts = [a.nextWindow(from)?.start, b.nextWindow(from)?.start].filter(
        (s): s is number => s !== undefined,
      );
      if (starts.length === 0) return null;
      const first = Math.min(...starts);
      return first < bounds.finishMs ? first : null;
    },
  };
}

/** The layers of a raw policy over raw defaults (when given) and raw rules, every rule applying. */
export function oracleLayers(
  policy: OraclePolicy,
  defaults: OraclePolicy | undefined,
  rules: readonly OracleRule[],
): OracleLayer[] {
  const below = defaults ?? {};
  const zone = policy.gmtZone ?? below.gmtZone;
  const zoned = (fields: OraclePolicy): OraclePolicy =>
    zone === undefined ? fields : { ...fields, gmtZone: zone };
  const whole = new WindowOracle(
    zoned({ allowedDays: policy.allowedDays, allowedTime: policy.allowedTime } as OraclePolicy),
    { allowedDays: below.allowedDays, allowedTime: below.allowedTime } as OraclePolicy,
  );
  const ownHours = (day: string) => policy.allowedTime?.[day] ?? policy.allowedTime?.default;
  const entryTime: Record<string, Interval[]> = {};
  const defaultsTime: Record<string, Interval[]> = {};
  for (const day of DAYS) {
    const ownOut = policy.allowedDays !== undefined && !policy.allowedDays.includes(day);
    const defaultsOut =
      policy.allowedDays === undefined && below.allowedDays !== undefined && !below.allowedDays.includes(day);
    entryTime[day] = ownOut ? [] : defaultsOut ? WHOLE : (ownHours(day) ?? WHOLE);
    defaultsTime[day] = ownOut
      ? WHOLE
      : defaultsOut
        ? []
        : ownHours(day) !== undefined
          ? WHOLE
          : (below.allowedTime?.[day] ?? below.allowedTime?.default ?? WHOLE);
  }
  const bounds = (start: string | number | undefined, finish: string | number | undefined) =>
    new WindowOracle(
      zoned({
        ...(start === undefined ? {} : { startDateTime: start }),
        ...(finish === undefined ? {} : { finishDateTime: finish }),
      }),
    );
  const layers: OracleLayer[] = [
    unionLayer(
      'entry',
      bounds(policy.startDateTime, policy.finishDateTime),
      new WindowOracle(zoned({ allowedTime: entryTime })),
      whole,
    ),
  ];
  if (defaults !== undefined) {
    layers.push(
      unionLayer(
        'defaults',
        bounds(
          policy.startDateTime === undefined ? defaults.startDateTime : undefined,
          policy.finishDateTime === undefined ? defaults.finishDateTime : undefined,
        ),
        new WindowOracle(zoned({ allowedTime: defaultsTime })),
        whole,
      ),
    );
  }
  for (const rule of rules) {
    const alone = new WindowOracle(zoned({}), {}, { rules: [rule] });
    layers.push({
      layer: `rule:${rule.name}`,
      isAllowed: (t) => alone.isAllowed(t),
      nextAllowed: (t) => alone.nextWindow(t)?.start ?? null,
    });
  }
  return layers;
}
