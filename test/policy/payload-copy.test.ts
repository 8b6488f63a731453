import { describe, expect, it } from 'vitest';
import { Campaign } from '../../src/index.js';
import { parseEntries } from '../../src/policy/parse-entries.js';
import { addPhonesEntrySchema } from '../../src/policy/schemas.js';
import type { JsonValue } from '../../src/policy/types.js';

const T0 = Date.parse('2024-06-03T12:00:00Z');

/** A payload with nested objects and arrays, and the same again as a separate object to compare with. */
const makePayload = () => ({
  name: 'Ada',
  tags: ['vip', { level: 2 }],
  address: { city: 'Paris', zip: null },
});

/** Breaks `input` every way the spec forbids: a cycle, 10,000 levels of nesting, a function. */
function vandalise(input: ReturnType<typeof makePayload>): void {
  const loose = input as unknown as Record<string, unknown>;
  loose.self = input;
  (input.address as Record<string, unknown>).back = input;
  let deep: Record<string, unknown> = {};
  const top = deep;
  for (let k = 0; k < 10_000; k++) {
    const next: Record<string, unknown> = {};
    deep.next = next;
    deep = next;
  }
  loose.deep = top;
  (input.tags as unknown[]).push(() => 'a function');
  input.name = 'Grace';
}

/** Every object and array in `value` is frozen. */
function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

describe('parsePayload (a copy, not the caller object)', () => {
  it('keeps the parsed payload when the input is mutated after the fast path parsed it', () => {
    const input = makePayload();
    const parsed = parseEntries([{ phone: '100', payload: input }]).accepted[0]!.payload;
    vandalise(input);
    expect(parsed).toEqual(makePayload());
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(makePayload());
  });

  it('keeps the parsed payload when the input is mutated after the schema parsed it', () => {
    const input = makePayload();
    const result = addPhonesEntrySchema.safeParse({ phone: '100', payload: input });
    expect(result.success).toBe(true);
    vandalise(input);
    expect(result.data?.payload).toEqual(makePayload());
  });

  it('hands back a deeply frozen payload, so it cannot be mutated afterwards either', () => {
    const parsed = parseEntries([{ phone: '100', payload: makePayload() }]).accepted[0]!.payload;
    expect(isDeepFrozen(parsed)).toBe(true);
    expect(() => {
      (parsed as { name: string }).name = 'Grace';
    }).toThrow(TypeError);
  });

  it('keeps a __proto__ key as a field of the copy', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as JsonValue;
    const parsed = parseEntries([{ phone: '100', payload: input }]).accepted[0]!.payload;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(JSON.stringify(parsed)).toBe('{"__proto__":{"polluted":true},"a":1}');
  });

  it('lets a campaign snapshot and serve a job whose input payload was vandalised after addPhones', () => {
    const campaign = new Campaign({ clock: () => T0 });
    const input = makePayload();
    const [jobId] = campaign.addPhones([{ phone: '100', payload: input }], { now: T0 }).jobIds;
    vandalise(input);
    expect(() => JSON.stringify(campaign.snapshot())).not.toThrow();
    expect(campaign.job(jobId!)?.payload).toEqual(makePayload());
    expect(campaign.next(T0)?.payload).toEqual(makePayload());
    // A second body that repeats the entry is still a duplicate of the stored (unchanged) payload.
    const again = campaign.addPhones([{ phone: '100', payload: makePayload() }], { now: T0 });
    expect(again.duplicates).toEqual([0]);
  });
});

describe('parseEntries keepPolicies', () => {
  it('keeps the parsed policy fields only when asked (forecast), so an add lets them die young', () => {
    const body = [{ phone: '+1 650 000-0000', allowedDays: ['mon'], maxAttempts: 2 }];
    const kept = parseEntries(body, { keepPolicies: true }).accepted[0];
    expect(kept?.policy).toMatchObject({ allowedDays: ['mon'], maxAttempts: 2 });
    const added = parseEntries(body).accepted[0];
    expect(added).toBeDefined();
    expect(added?.policy).toBeUndefined();
    expect(added?.scheduleKey).toBe(kept?.scheduleKey);
  });
});
