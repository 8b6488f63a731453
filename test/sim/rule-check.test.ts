import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CallingRule, isCallAllowed, US_RULES } from '../../src/index.js';
import { CapCheck } from '../../src/sim/cap-check.js';
import { checkedPlace } from '../../src/sim/place-check.js';
import { RuleBook } from '../../src/sim/rule-check.js';
import { zoneOf } from '../../src/sim/window-check.js';

const at = (iso: string) => Date.parse(iso);
const byName = (name: string) => US_RULES.filter((rule) => rule.name === name);

/** The names of the rules of `book` (all of them applying) that forbid a call at `iso` in `zone`. */
function refused(rules: readonly CallingRule[], zone: string, iso: string): string[] {
  const book = new RuleBook(rules);
  const all = rules.map((_, i) => i);
  return book.refusals(all, [zoneOf(zone)], [zone], at(iso)).map((r) => book.name(r.rule));
}

describe('RuleBook', () => {
  it('reads the US federal hours on the callee wall clock: 08:00 to 21:00, half-open (§12)', () => {
    const federal = byName('us-federal-calling-hours');
    // Los Angeles is on PDT (UTC-07:00) from 2024-03-10.
    expect(refused(federal, 'America/Los_Angeles', '2024-03-12T14:59:59Z')).toEqual([
      'us-federal-calling-hours',
    ]);
    expect(refused(federal, 'America/Los_Angeles', '2024-03-12T15:00:00Z')).toEqual([]);
    expect(refused(federal, 'America/Los_Angeles', '2024-03-13T03:59:59Z')).toEqual([]);
    expect(refused(federal, 'America/Los_Angeles', '2024-03-13T04:00:00Z')).toEqual([
      'us-federal-calling-hours',
    ]);
  });

  it("reads a state's hours, days and holidays: Florida ends at 20:00, Louisiana has Mardi Gras (§12)", () => {
    expect(refused(byName('us-fl-calling-hours'), 'America/New_York', '2024-03-13T00:30:00Z')).toEqual([
      'us-fl-calling-hours',
    ]);
    const louisiana = byName('us-la-calling-hours');
    // Mardi Gras 2024-02-13 is a public holiday of the calendar's US-LA list: the whole local day.
    expect(refused(louisiana, 'America/Chicago', '2024-02-13T06:00:00Z')).toEqual(['us-la-calling-hours']);
    expect(refused(louisiana, 'America/Chicago', '2024-02-14T05:59:59Z')).toEqual(['us-la-calling-hours']);
    expect(refused(louisiana, 'America/Chicago', '2024-02-14T15:00:00Z')).toEqual([]);
    // Sunday.
    expect(refused(louisiana, 'America/Chicago', '2024-03-10T18:00:00Z')).toEqual(['us-la-calling-hours']);
  });

  it('blacks out whole local days, and allows nothing outside the holiday years 2000-2099 (§12)', () => {
    const rules: CallingRule[] = [
      { name: 'closed', blackoutDates: ['2024-03-11'] },
      { name: 'holidays', holidays: { country: 'US' } },
    ];
    expect(refused(rules, 'Asia/Kathmandu', '2024-03-10T18:14:59Z')).toEqual([]);
    expect(refused(rules, 'Asia/Kathmandu', '2024-03-10T18:15:00Z')).toEqual(['closed']);
    expect(refused(rules, 'UTC', '2100-01-01T00:00:00Z')).toEqual(['holidays']);
  });

  it('reads a number whose area spans zones in each of them (§12)', () => {
    const book = new RuleBook(byName('us-federal-calling-hours'));
    const zones = ['America/New_York', 'America/Chicago'];
    // 20:30 in New York is 19:30 in Chicago; 08:30 in Chicago is 09:30 in New York.
    const refusals = (iso: string) => book.refusals([0], zones.map(zoneOf), zones, at(iso));
    expect(refusals('2024-03-13T00:30:00Z')).toEqual([]);
    expect(refusals('2024-03-13T01:30:00Z')).toEqual([
      { rule: 0, why: 'tue 2024-03-12 21:30 is outside its hours (08:00-21:00) in America/New_York' },
    ]);
    expect(refusals('2024-03-12T12:30:00Z')).toHaveLength(1);
  });

  it('applies a rule to the phones of its places, and to a phone whose place is unknown (§12)', () => {
    const book = new RuleBook(US_RULES);
    const names = (digits: string) => book.applyingToPhone(digits).map((i) => book.name(i));
    expect(names('13055000001')).toEqual(['us-federal-calling-hours', 'us-fl-calling-hours']);
    expect(names('12125000001')).toEqual(['us-federal-calling-hours']);
    expect(names('447400000001')).toEqual([]);
    // An area code the table does not place, not a valid number: no place, so every rule applies.
    expect(names('19995550123')).toEqual(US_RULES.map((rule) => rule.name));
    // An unassigned exchange of a placed area code: the area code tells the state, as the campaign reads it.
    expect(names('13050000001')).toEqual(['us-federal-calling-hours', 'us-fl-calling-hours']);
    expect(book.capOf(book.applyingToPhone('13055000001'))).toBe(3);
    expect(book.capOf(book.applyingToPhone('12125000001'))).toBeUndefined();
  });

  it('rejects a row it cannot read, naming it', () => {
    expect(() => new RuleBook([{ name: 'x', allowedTime: { default: [{ localTimeFrom: '9' }] } }])).toThrow(
      /rule 0: .*HH:mm/,
    );
    expect(() => new RuleBook([{ name: '' }])).toThrow(/rule 0: name "" is not a name/);
  });

  it('agrees with isCallAllowed and the compiled rules at random instants (§12)', () => {
    const subsets: (readonly CallingRule[])[] = [
      US_RULES,
      byName('us-federal-calling-hours'),
      US_RULES.filter((rule) => rule.holidays !== undefined),
      US_RULES.filter((rule) => rule.name.endsWith('tx-calling-hours') || rule.name.includes('-ut-')),
      [
        { name: 'blackout', blackoutDates: ['2024-03-10', '2024-07-04', '2024-11-03'] },
        ...byName('us-ma-calling-hours'),
      ],
    ];
    const books = subsets.map((rules) => new RuleBook(rules));
    const zones = [
      'America/New_York',
      'America/Chicago',
      'America/Denver',
      'America/Phoenix',
      'Pacific/Honolulu',
      '-05:00',
      'Asia/Kathmandu',
    ];
    const policies = zones.map((gmtZone) => ({ gmtZone }));
    // Instants near the days that matter: DST changes and holidays of 2024, and anywhere in the year.
    const days = [
      '2024-02-13',
      '2024-03-10',
      '2024-05-27',
      '2024-07-04',
      '2024-07-24',
      '2024-11-03',
      '2024-12-25',
    ];
    const instant = fc.oneof(
      fc.integer({ min: at('2024-01-01T00:00:00Z'), max: at('2025-01-01T00:00:00Z') }),
      fc
        .tuple(fc.constantFrom(...days), fc.integer({ min: -12 * 3_600_000, max: 36 * 3_600_000 }))
        .map(([day, offsetMs]) => at(`${day}T00:00:00Z`) + offsetMs),
    );
    fc.assert(
      fc.property(fc.nat(subsets.length - 1), fc.nat(zones.length - 1), instant, (s, z, atMs) => {
        const book = books[s]!;
        const all = subsets[s]!.map((_, i) => i);
        const independent = book.refusals(all, [zoneOf(zones[z]!)], [zones[z]!], atMs).length === 0;
        expect(independent).toBe(isCallAllowed(policies[z]!, atMs, { rules: subsets[s]! }));
      }),
      { numRuns: 3000, seed: 12 },
    );
  });
});

describe('checkedPlace', () => {
  it('tells the state of a US number and the country of others, or nothing for an invalid number', () => {
    expect(checkedPlace('14055000001')).toEqual({ country: 'US', region: 'US-OK' });
    expect(checkedPlace('14165000001')).toEqual({ country: 'CA', region: 'CA-ON' });
    expect(checkedPlace('4915100000001')).toEqual({ country: 'DE' });
    expect(checkedPlace('19995550123')).toBeUndefined();
    expect(checkedPlace('4400')).toBeUndefined();
  });
});

describe('CapCheck', () => {
  it('counts the starts of the 24 hours before a dial, a start 24 hours old no longer (§12)', () => {
    const caps = new CapCheck();
    const t = at('2024-03-09T12:00:00Z');
    const hour = 3_600_000;
    expect([0, 1, 2, 3].map((k) => caps.dial('1', t + k * hour, 3))).toEqual([false, false, false, true]);
    // At t + 24 h the start at t has left the window; the three of t + 1 h .. t + 3 h are still in it.
    expect(caps.dial('1', t + 24 * hour, 3)).toBe(true);
    expect(caps.dial('1', t + 27 * hour, 3)).toBe(false);
    expect(caps.dial('2', t, undefined)).toBe(false);
  });
});
