import { describe, expect, it } from 'vitest';
import { zoneRulesOf } from '../../src/schedule/gmt-zone.js';
import { RegionZoneRules, type ZoneRules } from '../../src/schedule/zone-rules.js';
import { FROM_MS, TO_MS, ZONE_TRANSITIONS } from './zone-transitions-data.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Walks `periodEndAfter` from `fromMs` to the first period end at or after `toMs`, and returns it with a
 * note for every period end on the way at which the offset does not stay the same (a real transition).
 */
function walkPeriods(rules: ZoneRules, fromMs: number, toMs: number): { endMs: number; problems: string[] } {
  const problems: string[] = [];
  let atMs = fromMs;
  for (;;) {
    const endMs = rules.periodEndAfter(atMs);
    if (!(endMs > atMs)) {
      problems.push(`periodEndAfter(${iso(atMs)}) = ${endMs}, not after it`);
      return { endMs, problems };
    }
    if (endMs >= toMs) return { endMs, problems };
    // Chunk ends are pseudo transitions: allowed, but only where the offset stays the same.
    const before = rules.offsetSecondsAt(endMs - 1);
    const after = rules.offsetSecondsAt(endMs);
    if (before !== after) problems.push(`extra transition at ${iso(endMs)}: ${before} -> ${after}`);
    atMs = endMs;
  }
}

describe('RegionZoneRules', () => {
  it.each(Object.keys(ZONE_TRANSITIONS))('matches java.time transitions of %s, 2000 to 2035', (id) => {
    const { offsetAtFromSeconds, transitions } = ZONE_TRANSITIONS[id]!;
    const rules = zoneRulesOf(id);
    expect(rules).toBeInstanceOf(RegionZoneRules);
    expect(rules.id).toBe(id);
    expect(rules.isFixed).toBe(false);

    const problems: string[] = [];
    if (rules.offsetSecondsAt(FROM_MS) !== offsetAtFromSeconds) {
      problems.push(
        `offset at ${iso(FROM_MS)}: ${rules.offsetSecondsAt(FROM_MS)}, java ${offsetAtFromSeconds}`,
      );
    }
    let previousMs = FROM_MS;
    for (const [atMs, beforeSeconds, afterSeconds] of transitions) {
      const at = iso(atMs);
      const before = rules.offsetSecondsAt(atMs - 1);
      const after = rules.offsetSecondsAt(atMs);
      if (before !== beforeSeconds || after !== afterSeconds) {
        problems.push(`${at}: ${before} -> ${after}, java ${beforeSeconds} -> ${afterSeconds}`);
      }
      if (rules.offsetMsAt(atMs) !== afterSeconds * 1000) {
        problems.push(`${at}: offsetMsAt ${rules.offsetMsAt(atMs)}, java ${afterSeconds * 1000}`);
      }
      const nextEndMs = rules.periodEndAfter(atMs - 1);
      if (nextEndMs > atMs) problems.push(`${at}: periodEndAfter(t - 1) = ${iso(nextEndMs)}, after t`);
      const walk = walkPeriods(rules, previousMs, atMs);
      problems.push(...walk.problems.map((p) => `before ${at}: ${p}`));
      if (walk.endMs !== atMs)
        problems.push(`${at}: walk from ${iso(previousMs)} reached ${iso(walk.endMs)}`);
      previousMs = atMs;
    }
    // No transition java does not know of after the last one.
    problems.push(...walkPeriods(rules, previousMs, TO_MS).problems);
    expect(problems).toEqual([]);
  });

  it('returns no period end before the next transition for a zone without DST (Asia/Kolkata)', () => {
    const rules = zoneRulesOf('Asia/Kolkata');
    const atMs = Date.parse('2024-07-01T00:00:00Z');
    expect(rules.periodEndAfter(atMs)).toBeGreaterThan(atMs);
    expect(rules.offsetSecondsAt(rules.periodEndAfter(atMs))).toBe(19_800);
  });

  it('never ends the period of a fixed offset', () => {
    const rules = zoneRulesOf('+05:30:15');
    expect(rules.isFixed).toBe(true);
    expect(rules.periodEndAfter(0)).toBe(Number.POSITIVE_INFINITY);
    expect(rules.offsetMsAt(0)).toBe(19_815_000);
  });
});
