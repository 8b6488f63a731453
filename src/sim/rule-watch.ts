import { type CallingRule, nextCallWindow } from '../index.js';
import { CapCheck } from './cap-check.js';
import { type EffectivePolicy, inFirstZone } from './effective-policy.js';
import { checkedPlace, placeLabel } from './place-check.js';
import { RuleBook } from './rule-check.js';
import { type Zone, zoneOf, zoneTexts } from './window-check.js';

/** What a run counted for one calling rule. */
export interface RuleFigures {
  readonly name: string;
  /** Jobs of phones the rule applies to. */
  readonly jobs: number;
  /** Dials to those jobs. */
  readonly dials: number;
  /**
   * Jobs the rule held back: their own calling policy first allowed a call (from the instant the job
   * was added) at an instant the rule forbids, so the rule moved their first call later or left none.
   */
  readonly heldBack: number;
  /** Dials over the rule's `maxAttemptsPer24h` (the smallest cap of the rules of the phone). */
  readonly overCap: number;
}

/** What a run counted for its calling rules, every figure recomputed by the independent checkers. */
export interface RunRuleFigures {
  readonly rules: readonly RuleFigures[];
  /** Jobs of phones at least one rule applies to. */
  readonly jobsRuled: number;
  /** Jobs held back by at least one rule. */
  readonly jobsHeldBack: number;
  /** Jobs whose own policy allows a call but that the rules leave no allowed instant (`nextCallWindow`). */
  readonly jobsWithoutInstant: number;
  /**
   * Dials outside the rules of their phone: one forbids a call at their instant, or the phone was over
   * its `maxAttemptsPer24h`. Must be 0.
   */
  readonly dialsOutsideRules: number;
  /** Of those, dials over a `maxAttemptsPer24h` of their phone's rules. */
  readonly dialsOverCap: number;
  /** The first few dials outside the rules, for the message. */
  readonly examples: readonly string[];
}

interface JobRules {
  /** Index into the subsets of the rule book's indexes. */
  readonly subset: number;
  /** Index into the place labels. */
  readonly place: number;
}

const EXAMPLES = 5;

/**
 * The calling rules of a run, watched by the independent checkers: per job, the rules of its phone
 * (by the place its digits tell) and whether they held its first call back; per dial, whether a rule
 * forbade it and whether it went over a 24-hour cap. Cheap per dial: a luxon wall clock per zone.
 */
export class RuleWatch {
  readonly book: RuleBook;
  readonly #ruleArrays: (readonly CallingRule[])[] = [];
  readonly #subsets: (readonly number[])[] = [];
  readonly #subsetIds = new Map<string, number>();
  readonly #places: string[] = [];
  readonly #placeIds = new Map<string, number>();
  readonly #jobs: JobRules[] = [];
  readonly #rows: readonly CallingRule[];
  readonly #caps = new CapCheck();
  readonly #jobsPerRule: number[];
  readonly #dialsPerRule: number[];
  readonly #heldBackPerRule: number[];
  readonly #overCapPerRule: number[];
  readonly #examples: string[] = [];
  #jobsRuled = 0;
  #jobsHeldBack = 0;
  #jobsWithoutInstant = 0;
  #dialsOutsideRules = 0;
  #dialsOverCap = 0;

  constructor(rules: readonly CallingRule[]) {
    this.#rows = rules;
    this.book = new RuleBook(rules);
    this.#jobsPerRule = rules.map(() => 0);
    this.#dialsPerRule = rules.map(() => 0);
    this.#heldBackPerRule = rules.map(() => 0);
    this.#overCapPerRule = rules.map(() => 0);
  }

  /** The place labels of {@link placeOf}, by index. */
  get places(): readonly string[] {
    return this.#places;
  }

  /** The index of the place label of job `job` (0-based job number). */
  placeOf(job: number): number {
    return this.#jobs[job]!.place;
  }

  /** Whether any rule applies to job `job`. */
  isRuled(job: number): boolean {
    return this.#subsets[this.#jobs[job]!.subset]!.length > 0;
  }

  /**
   * A job added at `fromMs` for `phone` (digits) under `policy`; a redial passes its parent's job
   * number, whose phone it calls. Counts the rules that apply and those that hold its first call back.
   */
  addJob(job: number, phone: string, policy: EffectivePolicy, fromMs: number, parent?: number): void {
    let rules: JobRules;
    if (parent !== undefined) rules = this.#jobs[parent]!;
    else {
      const place = checkedPlace(phone);
      const label = placeLabel(place);
      let placeId = this.#placeIds.get(label);
      if (placeId === undefined) {
        placeId = this.#places.length;
        this.#places.push(label);
        this.#placeIds.set(label, placeId);
      }
      rules = { subset: this.#subsetOf(this.book.applyingTo(place)), place: placeId };
    }
    this.#jobs[job] = rules;
    const indexes = this.#subsets[rules.subset]!;
    if (indexes.length === 0) return;
    this.#jobsRuled++;
    for (const i of indexes) this.#jobsPerRule[i]!++;
    // The job's own first allowed instant (the fast window math, which the window checker audits per
    // dial), read in its first zone: these counts are statistics, not the audit.
    const zones = zoneTexts(policy.gmtZone);
    const first = inFirstZone(policy);
    const own = nextCallWindow(first, fromMs);
    if (own === null) return;
    const refusals = this.book.refusals(indexes, zones.map(zoneOf), zones, own.start);
    for (const { rule } of refusals) this.#heldBackPerRule[rule]!++;
    if (refusals.length > 0) {
      this.#jobsHeldBack++;
      if (nextCallWindow(first, fromMs, { rules: this.#ruleArrays[rules.subset]! }) === null)
        this.#jobsWithoutInstant++;
    }
  }

  /**
   * A dial of job `job` to `phone` at `atMs`, in the job's zones; `undefined` when every rule of the
   * phone allows it and it is within the phone's 24-hour cap, else why not.
   */
  dial(job: number, phone: string, zones: readonly Zone[], texts: readonly string[], atMs: number) {
    const indexes = this.#subsets[this.#jobs[job]!.subset]!;
    if (indexes.length === 0) return undefined;
    for (const i of indexes) this.#dialsPerRule[i]!++;
    const refusals = this.book.refusals(indexes, zones, texts, atMs);
    const reasons = refusals.map((r) => `${this.book.name(r.rule)}: ${r.why}`);
    const cap = this.book.capOf(indexes);
    if (this.#caps.dial(phone, atMs, cap)) {
      this.#dialsOverCap++;
      for (const i of indexes) if (this.#rows[i]!.maxAttemptsPer24h === cap) this.#overCapPerRule[i]!++;
      reasons.push(`phone ${phone} over the cap of ${cap} attempts in 24 hours`);
    }
    if (reasons.length === 0) return undefined;
    this.#dialsOutsideRules++;
    const why = reasons.join('; ');
    if (this.#examples.length < EXAMPLES)
      this.#examples.push(`job ${job + 1} at ${new Date(atMs).toISOString()}: ${why}`);
    return why;
  }

  figures(): RunRuleFigures {
    return {
      rules: this.#rows.map((rule, i) => ({
        name: rule.name,
        jobs: this.#jobsPerRule[i]!,
        dials: this.#dialsPerRule[i]!,
        heldBack: this.#heldBackPerRule[i]!,
        overCap: this.#overCapPerRule[i]!,
      })),
      jobsRuled: this.#jobsRuled,
      jobsHeldBack: this.#jobsHeldBack,
      jobsWithoutInstant: this.#jobsWithoutInstant,
      dialsOutsideRules: this.#dialsOutsideRules,
      dialsOverCap: this.#dialsOverCap,
      examples: [...this.#examples],
    };
  }

  #subsetOf(indexes: readonly number[]): number {
    const key = indexes.join(',');
    let id = this.#subsetIds.get(key);
    if (id === undefined) {
      id = this.#subsets.length;
      this.#subsets.push(indexes);
      this.#ruleArrays.push(indexes.map((i) => this.#rows[i]!));
      this.#subsetIds.set(key, id);
    }
    return id;
  }
}
