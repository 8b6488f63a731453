import type { EntryInput } from '../src/policy/types.js';
import { Random } from '../src/sim/random.js';
import { syntheticPolicy } from '../src/sim/synthetic-policies.js';

/**
 * A synthetic addPhones body of `count` distinct entries around `nearMs`, with small payloads. Start and
 * finish dates come from a few campaign waves, as real bodies have them, so the body has a few hundred
 * distinct schedules rather than one per entry.
 */
export function syntheticBody(count: number, nearMs: number, seed = 1): EntryInput[] {
  const random = new Random(seed);
  const body: EntryInput[] = [];
  for (let i = 0; i < count; i++) {
    const phone = `+1 ${String(2_000_000_000 + i).replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2-$3')}`;
    body.push({
      phone,
      payload: { customerId: i, name: `Customer ${i}` },
      ...syntheticPolicy(random, nearMs),
    });
  }
  return body;
}
