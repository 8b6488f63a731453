import type { AsyncCampaign } from '../engine/async-campaign.js';
import {
  IDEMPOTENCE_TTL_MS,
  type IdempotenceStore,
  MemoryIdempotence,
  STALE_CLAIM_MS,
} from './idempotence.js';
import { sameDigest, tokenSha256 } from './token.js';

/** A campaign the service serves: the one a token opens. */
export interface ServedCampaign {
  /** What idempotence keys are kept under: one per campaign. */
  readonly scope: string;
  readonly name: string;
  readonly campaign: AsyncCampaign;
}

/** The campaigns of a running service, by token, and where its idempotence keys are kept. */
export interface CampaignDirectory {
  /** The campaign `token` opens, or undefined for a token no campaign has. */
  find(token: string): Promise<ServedCampaign | undefined>;
  readonly idempotence: IdempotenceStore;
  /** `memory` or `postgres`, for the status answers and logs. */
  readonly backend: 'memory' | 'postgres';
  /** Releases what the campaigns hold (the database pool). */
  close(): Promise<void>;
}

/** One campaign of the in-memory mode: its name, its token's SHA-256 and the campaign. */
export interface MemoryCampaignEntry {
  readonly name: string;
  readonly tokenSha256: Buffer;
  readonly campaign: AsyncCampaign;
}

/** The campaigns of the in-memory mode (from `serve --config`), with idempotence keys in memory. */
export function memoryDirectory(
  entries: readonly MemoryCampaignEntry[],
  idempotence: IdempotenceStore = new MemoryIdempotence(),
): CampaignDirectory {
  const byDigest = new Map<string, MemoryCampaignEntry>();
  for (const entry of entries) byDigest.set(entry.tokenSha256.toString('hex'), entry);
  return {
    backend: 'memory',
    idempotence,
    find: async (token) => {
      const digest = tokenSha256(token);
      const entry = byDigest.get(digest.toString('hex'));
      if (entry === undefined || !sameDigest(entry.tokenSha256, digest)) return undefined;
      return { scope: entry.name, name: entry.name, campaign: entry.campaign };
    },
    close: async () => {
      await Promise.all(entries.map((entry) => entry.campaign.close()));
    },
  };
}

/** How often the database mode deletes the idempotence keys past their time to live. */
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** How long the database mode trusts a token it found before looking it up again. */
export const TOKEN_CACHE_MS = 5_000;

/**
 * The campaigns of a PostgreSQL database, found by their token's SHA-256 in `campaign_tokens` and opened
 * on first use (one pool for all), with idempotence keys in `idempotence_keys`. The PostgreSQL backend
 * and `pg` are loaded here, on demand, so the in-memory mode never loads them.
 *
 * A token found is trusted for `tokenCacheMs`, then looked up again by the next request that gives it:
 * a token deleted from `campaign_tokens` (revoked) stops opening its campaign at most `tokenCacheMs`
 * later, in every service process. An unknown token is looked up every time.
 *
 * Idempotence keys are timed by the database server's clock (service hosts with skewed clocks agree),
 * or by `clock` when one is given: each claim then passes its instant in.
 */
export async function databaseDirectory(options: {
  readonly connectionString: string;
  readonly poolSize?: number;
  readonly schema?: string;
  /** @default IDEMPOTENCE_TTL_MS (24 hours) */
  readonly idempotenceTtlMs?: number;
  /** How long a token found is trusted before it is looked up again, in ms; 0: every request. @default TOKEN_CACHE_MS (5 s) */
  readonly tokenCacheMs?: number;
  /**
   * The service's clock, epoch ms, for tests and simulations: it times the token cache and, when given,
   * the idempotence keys (their time to live and stale claims).
   * @default Date.now for the token cache; the database server's clock for idempotence keys
   */
  readonly clock?: () => number;
}): Promise<CampaignDirectory> {
  const tokenCacheMs = options.tokenCacheMs ?? TOKEN_CACHE_MS;
  if (!Number.isFinite(tokenCacheMs) || tokenCacheMs < 0)
    throw new RangeError(
      `Expected \`tokenCacheMs\` to be a finite number >= 0, got ${JSON.stringify(options.tokenCacheMs)}`,
    );
  const clock = options.clock ?? Date.now;
  const { ServiceTables } = await import('../postgres/service-tables.js');
  const tables = await ServiceTables.open(options);
  const ttlMs = options.idempotenceTtlMs ?? IDEMPOTENCE_TTL_MS;
  const opened = new Map<number, Promise<ServedCampaign>>();
  // Tokens found, each with its lookup (one at a time per token: requests arriving meanwhile share it)
  // and when that lookup started; past tokenCacheMs the next request looks the token up again.
  const byDigest = new Map<
    string,
    { readonly lookup: Promise<ServedCampaign | undefined>; readonly atMs: number }
  >();
  const sweep = setInterval(
    () => void tables.sweepKeys(ttlMs, options.clock?.()).catch(() => {}),
    SWEEP_EVERY_MS,
  );
  sweep.unref();
  const idempotence: IdempotenceStore = {
    claim: (scope, route, key, sha) =>
      tables.claimKey(Number(scope), route, key, sha, ttlMs, STALE_CLAIM_MS, options.clock?.()),
    store: (scope, route, key, answer) => tables.storeAnswer(Number(scope), route, key, answer),
    release: (scope, route, key) => tables.releaseKey(Number(scope), route, key),
  };
  return {
    backend: 'postgres',
    idempotence,
    find: (token) => {
      const digest = tokenSha256(token);
      const hex = digest.toString('hex');
      const now = clock();
      const known = byDigest.get(hex);
      if (known !== undefined && now - known.atMs < tokenCacheMs) return known.lookup;
      const lookup = (async () => {
        const found = await tables.campaignOfToken(digest);
        if (found === undefined) return undefined;
        let served = opened.get(found.id);
        if (served === undefined) {
          served = tables
            .openCampaign(found.name)
            .then((campaign) => ({ scope: String(found.id), name: found.name, campaign }));
          // A failed open (the database went away) is tried again by the next request.
          served.catch(() => opened.delete(found.id));
          opened.set(found.id, served);
        }
        return served;
      })();
      const entry = { lookup, atMs: now };
      byDigest.set(hex, entry);
      // Neither an unknown token nor a failed lookup is kept: the next request looks it up again.
      const forget = () => {
        if (byDigest.get(hex) === entry) byDigest.delete(hex);
      };
      lookup.then((served) => served === undefined && forget(), forget);
      return lookup;
    },
    close: async () => {
      clearInterval(sweep);
      const campaigns = await Promise.allSettled(opened.values());
      for (const result of campaigns) if (result.status === 'fulfilled') await result.value.campaign.close();
      await tables.close();
    },
  };
}
