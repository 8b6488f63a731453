import type { JsonValue, ParsedEntry, PolicyFields } from '../policy/types.js';

/**
 * The duplicate memory (spec section 8): entry keys with the job they created and when, forgotten
 * `windowMs` after they were added, oldest first. Ignored duplicates do not extend the window.
 */
export class DedupMemory {
  readonly windowMs: number;
  readonly #byKey = new Map<string, { readonly jobIndex: number; readonly addedAtMs: number }>();
  /** Keys in the order they were added, with their add instants; `#head` is the oldest not yet forgotten. */
  #keys: string[] = [];
  #addedAtMs: number[] = [];
  #head = 0;

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  /** Forgets entries added `windowMs` or more before `nowMs`. */
  forgetBefore(nowMs: number): void {
    while (this.#head < this.#keys.length && nowMs - this.#addedAtMs[this.#head]! >= this.windowMs) {
      const key = this.#keys[this.#head]!;
      const current = this.#byKey.get(key);
      if (current !== undefined && current.addedAtMs === this.#addedAtMs[this.#head]) this.#byKey.delete(key);
      this.#head++;
    }
    // Compact once the forgotten prefix dominates, so memory stays bounded.
    if (this.#head > 1024 && this.#head * 2 > this.#keys.length) {
      this.#keys = this.#keys.slice(this.#head);
      this.#addedAtMs = this.#addedAtMs.slice(this.#head);
      this.#head = 0;
    }
  }

  /** The job number an identical entry created within the window, or -1. */
  find(key: string): number {
    return this.#byKey.get(key)?.jobIndex ?? -1;
  }

  remember(key: string, jobIndex: number, addedAtMs: number): void {
    this.#byKey.set(key, { jobIndex, addedAtMs });
    this.#keys.push(key);
    this.#addedAtMs.push(addedAtMs);
  }

  /** Remembered entries, oldest first: `[key, jobIndex, addedAtMs]`. */
  entries(): [string, number, number][] {
    const out: [string, number, number][] = [];
    for (let i = this.#head; i < this.#keys.length; i++) {
      const key = this.#keys[i]!;
      const current = this.#byKey.get(key);
      if (current !== undefined && current.addedAtMs === this.#addedAtMs[i])
        out.push([key, current.jobIndex, current.addedAtMs]);
    }
    return out;
  }
}

/**
 * The duplicate key of a parsed entry: the phone, the policy fields as parsed (before inheritance; sets
 * in a canonical order) and the payload as canonical JSON (object keys sorted).
 */
export function dedupKey(entry: ParsedEntry): string {
  return `${entry.phone}|${policyKey(entry.policy)}|${'payload' in entry ? canonicalJson(entry.payload) : ''}`;
}

function policyKey(policy: PolicyFields): string {
  let key = '';
  const date = (v: PolicyFields['startDateTime']) =>
    v === undefined ? '' : `${v.kind === 'instant' ? 'i' : 'l'}${v.kind === 'instant' ? v.ms : v.localMs}`;
  key += `s${date(policy.startDateTime)};f${date(policy.finishDateTime)};`;
  key += `d${policy.allowedDays?.join(',') ?? '-'};`;
  if (policy.allowedTime === undefined) key += 't-;';
  else {
    const parts: string[] = [];
    for (const [day, list] of Object.entries(policy.allowedTime)) {
      const intervals = (list ?? []).map((i) => `${i.fromMinute}-${i.toMinute}`);
      parts.push(`${day}=${[...new Set(intervals)].sort().join(',')}`);
    }
    key += `t${parts.sort().join(' ')};`;
  }
  key += `r${policy.retryIntervalInMinutes ?? '-'};m${policy.maxAttempts ?? '-'};z${policy.gmtZone ?? '-'};p${policy.dialerPriority ?? '-'}`;
  return key;
}

/** JSON with object keys sorted, so that deep-equal values give equal text. */
export function canonicalJson(value: JsonValue | undefined): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? '';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, JsonValue>)[k])}`).join(',')}}`;
}
