/** Which rules apply to a phone (spec section 12, `appliesTo`), and the table-only path for US and Canadian numbers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { US_RULES } from '../../src/index.js';
import { parseRules } from '../../src/policy/parse-rules.js';
import { CampaignRules } from '../../src/policy/phone-rules.js';
import { NANP_REGION_LINES } from '../../src/rules/data/nanp-regions.js';
import { phonePlace } from '../../src/rules/phone-place.js';

const rules = new CampaignRules(parseRules(US_RULES));
const names = (digits: string) => rules.forPhone(digits).names;
/** Area codes the geocoding table places (first three digits of each NANP prefix line). */
const AREA_CODES = [...new Set(NANP_REGION_LINES.split('\n').map((line) => line.slice(0, 3)))];

describe('rules by the phone place (§12 appliesTo)', () => {
  it('applies the federal rule and the state row to a number of that state (§12)', () => {
    expect(names('13055550123')).toEqual(['us-federal-calling-hours', 'us-fl-calling-hours']);
    expect(names('12125550123')).toEqual(['us-federal-calling-hours']);
  });

  it('applies no US rule to a number of another country (§12)', () => {
    expect(names('442079460000')).toEqual([]);
  });

  it('applies every rule to a number whose place cannot be told (§12: the safe side)', () => {
    expect(names('19995550123')).toHaveLength(US_RULES.length);
    expect(names('100')).toHaveLength(US_RULES.length);
  });

  it('places a valid US or Canadian number from the table as phonePlace does (§12)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...AREA_CODES),
        fc.integer({ min: 2_000_000, max: 9_999_999 }),
        (area, local) => {
          const digits = `1${area}${local}`;
          const place = phonePlace(digits);
          fc.pre(place !== undefined);
          expect(rules.forPhone(digits).names).toEqual(rules.forPlace(place).names);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
