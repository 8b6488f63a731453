import { nanpRegion, type PhonePlace, phonePlace } from '../rules/phone-place.js';
import { type CompiledRules, NO_RULES } from './compiled-rules.js';
import type { ParsedRule } from './parse-rules.js';
import { compileRules } from './resolve.js';

/** The calling rules that apply to one phone (spec section 12), combined. */
export interface PhoneRuleSet {
  /** The rules' days, hours and blackout days, for `resolveSchedule`. */
  readonly compiled: CompiledRules;
  /** The smallest `maxAttemptsPer24h` of the rules, or `undefined` when none sets one. */
  readonly maxAttemptsPer24h: number | undefined;
  /** The name of the first rule that sets that smallest `maxAttemptsPer24h` (`undefined` when none). */
  readonly capRuleName: string | undefined;
  /** The names of the rules, in the campaign's order. */
  readonly names: readonly string[];
  /** Tells rule sets of one campaign apart: `''` for no rules, else the rules' indexes. */
  readonly key: string;
}

/** No rule applies. */
export const NO_PHONE_RULES: PhoneRuleSet = Object.freeze({
  compiled: NO_RULES,
  maxAttemptsPer24h: undefined,
  capRuleName: undefined,
  names: Object.freeze([]),
  key: '',
});

/**
 * A campaign's `rules` option, and which of them apply to a phone: a rule without `appliesTo` to every
 * phone; one with `appliesTo` to phones of a country or region it names, and to every phone whose place
 * its number cannot tell (the safe side), a US number whose state cannot be told counting as inside every
 * US region named. Each distinct subset is compiled once.
 */
export class CampaignRules {
  readonly rules: readonly ParsedRule[];
  /** Every rule applying: what the pure functions, which know no phone, read. */
  readonly all: PhoneRuleSet;
  /** Whether a phone's place can change which rules apply (some rule has `appliesTo`). */
  readonly placeMatters: boolean;
  readonly #bySubset = new Map<string, PhoneRuleSet>();
  readonly #byRegion = new Map<string, PhoneRuleSet>();

  constructor(rules: readonly ParsedRule[]) {
    this.rules = rules;
    this.placeMatters = rules.some((rule) => rule.appliesTo !== undefined);
    this.all = this.#setOf(rules.map((_, i) => i));
  }

  get isEmpty(): boolean {
    return this.rules.length === 0;
  }

  /**
   * The rules that apply to a phone (digits, country calling code first). A US or Canadian number
   * whose area code the geocoding table places is read from the table alone (a lookup well under a
   * microsecond, kept per region), every other number by `phonePlace` (microseconds: its validity check).
   */
  forPhone(digits: string): PhoneRuleSet {
    if (!this.placeMatters) return this.all;
    const region = nanpRegion(digits);
    if (region === undefined) return this.forPlace(phonePlace(digits));
    let set = this.#byRegion.get(region);
    if (set === undefined) {
      set = this.forPlace({ country: region.slice(0, 2), region, zones: [] });
      this.#byRegion.set(region, set);
    }
    return set;
  }

  /** The rules that apply to a phone of `place` (`undefined`: a place the number cannot tell). */
  forPlace(place: PhonePlace | undefined): PhoneRuleSet {
    if (place === undefined || !this.placeMatters) return this.all;
    const applying: number[] = [];
    for (let i = 0; i < this.rules.length; i++) {
      if (applies(this.rules[i]!, place)) applying.push(i);
    }
    return this.#setOf(applying);
  }

  /** The rule set of the rules with these names (as a snapshot or a database row stores it), unknown names left out. */
  forNames(names: readonly string[]): PhoneRuleSet {
    const wanted = new Set(names);
    const indexes: number[] = [];
    for (let i = 0; i < this.rules.length; i++) if (wanted.has(this.rules[i]!.name)) indexes.push(i);
    return this.#setOf(indexes);
  }

  #setOf(indexes: readonly number[]): PhoneRuleSet {
    if (indexes.length === 0) return NO_PHONE_RULES;
    const key = indexes.join(',');
    let set = this.#bySubset.get(key);
    if (set === undefined) {
      const rules = indexes.map((i) => this.rules[i]!);
      let cap: number | undefined;
      let capRuleName: string | undefined;
      for (const rule of rules) {
        const own = rule.maxAttemptsPer24h;
        if (own !== undefined && (cap === undefined || own < cap)) {
          cap = own;
          capRuleName = rule.name;
        }
      }
      set = Object.freeze({
        compiled: compileRules(rules),
        maxAttemptsPer24h: cap,
        capRuleName,
        names: Object.freeze(rules.map((rule) => rule.name)),
        key,
      });
      this.#bySubset.set(key, set);
    }
    return set;
  }
}

/** No rules at all. */
export const NO_CAMPAIGN_RULES = new CampaignRules([]);

function applies(rule: ParsedRule, place: PhonePlace): boolean {
  const where = rule.appliesTo;
  if (where === undefined) return true;
  if (where.countries.includes(place.country)) return true;
  for (const region of where.regions) {
    if (place.region === region) return true;
    // The number's state or province cannot be told: inside every region of its country.
    if (place.region === undefined && region.startsWith(`${place.country}-`)) return true;
  }
  return false;
}
