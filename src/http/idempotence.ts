import { createHash } from 'node:crypto';
import type { KeyClaim } from '../postgres/service-tables.js';

/** How long an idempotence key is kept: a repeat within it gets the first answer. */
export const IDEMPOTENCE_TTL_MS = 24 * 60 * 60 * 1000;

/** How long a claim may stay unanswered before another request takes the key over (its server died). */
export const STALE_CLAIM_MS = 10 * 60 * 1000;

/**
 * What claiming a key found: `new` (this request is the first: answer it, then `store` or `release`),
 * `done` (answered before: that answer), `busy` (the first request is still in progress) or `conflict`
 * (the key was used with a different request). One type for both stores: the database's defines it.
 */
export type { KeyClaim };

/** Where idempotence keys are kept, per campaign (`scope`) and route: in memory, or in PostgreSQL. */
export interface IdempotenceStore {
  claim(scope: string, route: string, key: string, requestSha256: Buffer): Promise<KeyClaim>;
  store(scope: string, route: string, key: string, answer: string): Promise<void>;
  release(scope: string, route: string, key: string): Promise<void>;
}

/** The SHA-256 of what a request asks for: its route, its query (but the key) and its body. */
export function requestSha256(route: string, query: unknown, body: unknown): Buffer {
  const q = { ...(query as Record<string, unknown> | undefined) };
  delete q['Idempotence-Key'];
  return createHash('sha256')
    .update(JSON.stringify([route, Object.entries(q).sort(([a], [b]) => (a < b ? -1 : 1)), body ?? null]))
    .digest();
}

interface KeptKey {
  readonly sha: Buffer;
  readonly atMs: number;
  answer: string | undefined;
}

/** Idempotence keys in this process's memory, each forgotten `ttlMs` after its first use. */
export class MemoryIdempotence implements IdempotenceStore {
  // Insertion order is claim order: the oldest keys are first, so expired ones are swept from the front.
  readonly #keys = new Map<string, KeptKey>();
  readonly #ttlMs: number;
  readonly #clock: () => number;

  constructor(options: { readonly ttlMs?: number; readonly clock?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? IDEMPOTENCE_TTL_MS;
    this.#clock = options.clock ?? Date.now;
  }

  /** Keys kept now (expired ones included until the next claim sweeps them). */
  get size(): number {
    return this.#keys.size;
  }

  async claim(scope: string, route: string, key: string, sha: Buffer): Promise<KeyClaim> {
    const now = this.#clock();
    for (const [name, kept] of this.#keys) {
      if (kept.atMs + this.#ttlMs > now) break;
      this.#keys.delete(name);
    }
    const name = `${scope}\u0000${route}\u0000${key}`;
    const kept = this.#keys.get(name);
    if (kept === undefined || (kept.answer === undefined && kept.atMs + STALE_CLAIM_MS <= now)) {
      this.#keys.delete(name);
      this.#keys.set(name, { sha, atMs: now, answer: undefined });
      return { kind: 'new' };
    }
    if (!kept.sha.equals(sha)) return { kind: 'conflict' };
    return kept.answer === undefined ? { kind: 'busy' } : { kind: 'done', answer: kept.answer };
  }

  async store(scope: string, route: string, key: string, answer: string): Promise<void> {
    const kept = this.#keys.get(`${scope}\u0000${route}\u0000${key}`);
    if (kept !== undefined) kept.answer = answer;
  }

  async release(scope: string, route: string, key: string): Promise<void> {
    const name = `${scope}\u0000${route}\u0000${key}`;
    if (this.#keys.get(name)?.answer === undefined) this.#keys.delete(name);
  }
}
