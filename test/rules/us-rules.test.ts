import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isCallAllowed } from '../../src/index.js';
import { parseEntries } from '../../src/policy/parse-entries.js';
import { holidayDates } from '../../src/rules/holidays.js';
import { US_FEDERAL_RULES, US_RULES, US_STATE_RULES } from '../../src/rules/us-rules.js';

const byName = (name: string) => {
  const rule = US_RULES.find((candidate) => candidate.name === name);
  if (rule === undefined) throw new Error(`no rule ${name}`);
  return rule;
};

/** Whether the rule's own days and hours allow the wall-clock instant `local` in `zone`. */
const allows = (name: string, local: string, zone: string) => {
  const rule = byName(name);
  const policy = {
    gmtZone: zone,
    ...(rule.allowedDays === undefined ? {} : { allowedDays: rule.allowedDays }),
    ...(rule.allowedTime === undefined ? {} : { allowedTime: rule.allowedTime }),
  };
  return isCallAllowed(policy, DateTime.fromISO(local, { zone }).toMillis());
};

describe('US_RULES', () => {
  it('is the federal rules followed by the state rules', () => {
    expect(US_RULES).toEqual([...US_FEDERAL_RULES, ...US_STATE_RULES]);
  });

  it('has unique names, a source, its pages and a check date on every row', () => {
    expect(new Set(US_RULES.map((rule) => rule.name)).size).toBe(US_RULES.length);
    for (const rule of US_RULES) {
      expect(rule.source.length).toBeGreaterThan(5);
      expect(rule.sourceUrls.length).toBeGreaterThan(0);
      for (const url of rule.sourceUrls) expect(url).toMatch(/^https?:\/\/\S+$/);
      expect(rule.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(['primary-text', 'summary']).toContain(rule.evidence);
    }
  });

  it('names places as ISO codes: countries alpha-2, regions inside US', () => {
    for (const rule of US_RULES) {
      for (const country of rule.appliesTo?.countries ?? []) expect(country).toMatch(/^[A-Z]{2}$/);
      for (const region of rule.appliesTo?.regions ?? []) expect(region).toMatch(/^US-[A-Z]{2}$/);
    }
  });

  it('writes days and hours that an entry would accept', () => {
    const body = US_RULES.map((rule) => ({
      phone: '12125550123',
      ...(rule.allowedDays === undefined ? {} : { allowedDays: rule.allowedDays }),
      ...(rule.allowedTime === undefined ? {} : { allowedTime: rule.allowedTime }),
    }));
    expect(parseEntries(body).errors).toEqual([]);
  });

  it('names holiday calendars that the calendar knows', () => {
    for (const rule of US_RULES) {
      if (rule.holidays === undefined) continue;
      const { country, region, types } = rule.holidays;
      expect(holidayDates(country, region, types, 2025, 2025).length).toBeGreaterThan(5);
    }
  });

  it('keeps every state row at least as strict as the federal hours (08:00-21:00 every day)', () => {
    for (const rule of US_STATE_RULES) {
      for (const intervals of Object.values(rule.allowedTime ?? {})) {
        for (const { localTimeFrom, localTimeTo } of intervals ?? []) {
          expect(localTimeFrom >= '08:00' && localTimeTo <= '21:00' && localTimeFrom < localTimeTo).toBe(
            true,
          );
        }
      }
    }
  });
});

describe('the rules on the wall clock', () => {
  it('federal: allows 08:00 and 20:59, not 07:59 or 21:00, every day', () => {
    const zone = 'America/New_York';
    expect(allows('us-federal-calling-hours', '2024-07-07T08:00:00', zone)).toBe(true);
    expect(allows('us-federal-calling-hours', '2024-07-07T20:59:00', zone)).toBe(true);
    expect(allows('us-federal-calling-hours', '2024-07-07T07:59:00', zone)).toBe(false);
    expect(allows('us-federal-calling-hours', '2024-07-07T21:00:00', zone)).toBe(false);
  });

  it('Florida: ends at 20:00 and caps three attempts in 24 hours', () => {
    expect(allows('us-fl-calling-hours', '2024-03-05T19:59:00', 'America/New_York')).toBe(true);
    expect(allows('us-fl-calling-hours', '2024-03-05T20:00:00', 'America/New_York')).toBe(false);
    expect(byName('us-fl-calling-hours').maxAttemptsPer24h).toBe(3);
    expect(byName('us-ok-calling-hours').maxAttemptsPer24h).toBe(3);
    expect(byName('us-md-calling-hours').maxAttemptsPer24h).toBe(3);
  });

  it('Texas: Sunday starts at noon, other days at 09:00', () => {
    const zone = 'America/Chicago';
    expect(allows('us-tx-calling-hours', '2024-03-10T11:59:00', zone)).toBe(false);
    expect(allows('us-tx-calling-hours', '2024-03-10T12:00:00', zone)).toBe(true);
    expect(allows('us-tx-calling-hours', '2024-03-09T09:00:00', zone)).toBe(true);
    expect(allows('us-tx-calling-hours', '2024-03-09T08:59:00', zone)).toBe(false);
  });

  it('Louisiana: no calls on Sunday, and Mardi Gras is a blackout date', () => {
    expect(allows('us-la-calling-hours', '2024-02-11T10:00:00', 'America/Chicago')).toBe(false);
    expect(allows('us-la-calling-hours', '2024-02-12T10:00:00', 'America/Chicago')).toBe(true);
    const { country, region, types } = byName('us-la-calling-hours').holidays!;
    expect(holidayDates(country, region, types, 2024, 2024)).toContain('2024-02-13');
  });
});
