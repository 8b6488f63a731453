import { isCallAllowed, nextCallWindow } from '../src/index.js';
import type { PolicyInput } from '../src/policy/types.js';
import { Random } from '../src/sim/random.js';
import { syntheticEntries } from '../src/sim/synthetic-campaign.js';
import { luxonNextWindow } from './baselines/luxon-scan.js';
import { cycling, measure } from './harness.js';

const FROM_MS = Date.parse('2024-01-01T00:00:00Z');
const TO_MS = Date.parse('2030-12-31T00:00:00Z');

/** Figures of the nextCallWindow scenario, ns per query. */
export interface NextCallWindowFigures {
  readonly policies: number;
  readonly nsPerOp: number;
  readonly isCallAllowedNsPerOp: number;
  readonly luxonNsPerOp: number;
}

/**
 * `nextCallWindow` over `count` mixed synthetic policies (the simulation's generator: IANA and fixed
 * zones, every shape of calling hours, start and finish dates) at instants in 2024..2030 around each
 * policy's campaign, against the naive luxon scan of the same queries.
 */
export async function benchNextCallWindow(count = 10_000, timeMs = 1500): Promise<NextCallWindowFigures> {
  const random = new Random(1);
  const policies: PolicyInput[] = [];
  const instants: number[] = [];
  // Ten campaigns spread over 2024..2030; each query falls within a month of its campaign's start.
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
  // Warm-up: compile every policy and build the zone tables the queries touch.
  for (let i = 0; i < count; i++) nextCallWindow(policies[i]!, instants[i]!);
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
    ],
    timeMs,
  );
  return {
    policies: count,
    nsPerOp: figures.nextCallWindow!,
    isCallAllowedNsPerOp: figures.isCallAllowed!,
    luxonNsPerOp: figures['luxon scan']!,
  };
}
