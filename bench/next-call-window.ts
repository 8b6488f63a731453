import { isCallAllowed, nextCallWindow } from '../src/index.js';
import type { PolicyInput } from '../src/policy/types.js';
import { Random } from '../src/sim/random.js';
import { syntheticEntries } from '../src/sim/synthetic-campaign.js';
import { luxonNextWindow } from './baselines/luxon-scan.js';
import {
  openingHoursOf,
  openingHoursRule,
  openingHoursWindow,
  useUtcProcessZone,
} from './baselines/opening-hours.js';
import { cycling, measure } from './harness.js';

const FROM_MS = Date.parse('2024-01-01T00:00:00Z');
const TO_MS = Date.parse('2030-12-31T00:00:00Z');
const MAX_EXAMPLES = 5;
const HALF_HOUR_MS = 1_800_000;

/** One query where opening_hours and nextCallWindow disagree. */
export interface OpeningHoursMismatch {
  readonly rule: string;
  readonly from: string;
  readonly ours: string;
  readonly theirs: string;
}

/** Figures of the nextCallWindow scenario, ns per query. */
export interface NextCallWindowFigures {
  readonly policies: number;
  readonly nsPerOp: number;
  readonly isCallAllowedNsPerOp: number;
  readonly luxonNsPerOp: number;
  /** nextCallWindow on the same policies with `gmtZone: 'Z'` and no start or finish: opening_hours' match. */
  readonly utcNsPerOp: number;
  readonly openingHoursNsPerOp: number;
  /** Queries compared with opening_hours (every policy's instant), and those whose windows differ. */
  readonly openingHoursQueries: number;
  readonly openingHoursMismatches: number;
  /** The same instants floored to the half hour (boundaries hit exactly), and those whose windows differ. */
  readonly openingHoursBoundaryQueries: number;
  readonly openingHoursBoundaryMismatches: number;
  /** Distinct opening_hours rules the policies turned into. */
  readonly openingHoursRules: number;
  /** The first few mismatches of either kind. */
  readonly openingHoursMismatchExamples: readonly OpeningHoursMismatch[];
}

/**
 * The queries of the window scenarios: `count` mixed synthetic policies (the simulation's generator)
 * and an instant for each. Ten campaigns spread over 2024..2030; each query falls within a month of its
 * campaign's start.
 */
export function syntheticQueries(count: number): { policies: PolicyInput[]; instants: number[] } {
  const random = new Random(1);
  const policies: PolicyInput[] = [];
  const instants: number[] = [];
  const batches = 10;
  for (let b = 0; b < batches; b++) {
    const startMs = FROM_MS + Math.floor(((TO_MS - FROM_MS) * b) / batches);
    for (const entry of syntheticEntries({ numbers: Math.ceil(count / batches), seed: b + 1, startMs })) {
      if (policies.length === count) break;
      const { phone: _phone, payload: _payload, ...policy } = entry;
      policies.push(policy);
      instants.push(startMs + Math.floor(random.next() * 30 * 86_400_000));
    }
  }
  return { policies, instants };
}

/**
 * `nextCallWindow` over `count` mixed synthetic policies (the simulation's generator: IANA and fixed
 * zones, every shape of calling hours, start and finish dates) at instants in 2024..2030 around each
 * policy's campaign, against the naive luxon scan of the same queries. In the same tinybench run, the
 * same policies and instants in UTC without start and finish (opening_hours has no zones, and dates
 * would need its year/month selectors) against opening_hours, whose answers are also compared with ours.
 */
export async function benchNextCallWindow(count = 10_000, timeMs = 1500): Promise<NextCallWindowFigures> {
  const { policies, instants } = syntheticQueries(count);
  // The wall-clock rules as if the zone were UTC, without dates.
  const utcPolicies = policies.map(({ startDateTime: _s, finishDateTime: _f, ...policy }) => ({
    ...policy,
    gmtZone: 'Z',
  }));
  const rules = utcPolicies.map(openingHoursRule);
  const restoreZone = useUtcProcessZone();
  try {
    const hours = rules.map(openingHoursOf);
    // Warm-up: compile every policy and build the zone tables the queries touch.
    for (let i = 0; i < count; i++) nextCallWindow(policies[i]!, instants[i]!);
    const examples: OpeningHoursMismatch[] = [];
    const compare = (i: number, fromMs: number) => {
      const ours = nextCallWindow(utcPolicies[i]!, fromMs);
      let theirs: string;
      try {
        theirs = windowText(openingHoursWindow(hours[i]!, fromMs));
      } catch (error) {
        // opening_hours throws strings ("Fatal: infinite loop in nextChange").
        theirs = `threw ${String(error)}`;
      }
      if (theirs === windowText(ours)) return 0;
      if (examples.length < MAX_EXAMPLES) {
        examples.push({
          rule: rules[i]!,
          from: new Date(fromMs).toISOString(),
          ours: windowText(ours),
          theirs,
        });
      }
      return 1;
    };
    let mismatches = 0;
    let boundaryMismatches = 0;
    for (let i = 0; i < count; i++) {
      mismatches += compare(i, instants[i]!);
      // Every rule's boundaries fall on :00 or :30, which random instants never hit exactly.
      boundaryMismatches += compare(i, Math.floor(instants[i]! / HALF_HOUR_MS) * HALF_HOUR_MS);
    }
    const figures = await measure(
      [
        {
          name: 'nextCallWindow',
          opsPerBatch: 1000,
          batch: cycling(count, 1000, (i) => nextCallWindow(policies[i]!, instants[i]!)),
        },
        {
          name: 'isCallAllowed',
          opsPerBatch: 1000,
          batch: cycling(count, 1000, (i) => isCallAllowed(policies[i]!, instants[i]!)),
        },
        {
          name: 'luxon scan',
          opsPerBatch: 20,
          batch: cycling(count, 20, (i) => luxonNextWindow(policies[i]!, instants[i]!)),
        },
        {
          name: 'nextCallWindow UTC',
          opsPerBatch: 1000,
          batch: cycling(count, 1000, (i) => nextCallWindow(utcPolicies[i]!, instants[i]!)),
        },
        {
          name: 'opening_hours',
          opsPerBatch: 20,
          batch: cycling(count, 20, (i) => openingHoursWindow(hours[i]!, instants[i]!)),
        },
      ],
      timeMs,
    );
    return {
      policies: count,
      nsPerOp: figures.nextCallWindow!,
      isCallAllowedNsPerOp: figures.isCallAllowed!,
      luxonNsPerOp: figures['luxon scan']!,
      utcNsPerOp: figures['nextCallWindow UTC']!,
      openingHoursNsPerOp: figures.opening_hours!,
      openingHoursQueries: count,
      openingHoursMismatches: mismatches,
      openingHoursBoundaryQueries: count,
      openingHoursBoundaryMismatches: boundaryMismatches,
      openingHoursRules: new Set(rules).size,
      openingHoursMismatchExamples: examples,
    };
  } finally {
    restoreZone();
  }
}

function windowText(window: { start: number; end: number } | null): string {
  if (window === null) return 'none';
  const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms));
  return `${iso(window.start)}..${iso(window.end)}`;
}
