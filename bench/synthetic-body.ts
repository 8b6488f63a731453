import type { EntryInput } from '../src/policy/types.js';
import { Random } from '../src/sim/random.js';
import { syntheticPolicy } from '../src/sim/synthetic-policies.js';

/** A synthetic addPhones body of `count` distinct entries around `nearMs`, with small payloads. */
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
