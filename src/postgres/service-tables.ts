import pg from 'pg';
import { type PostgresCampaignOptions, readOpenOptions } from './open-options.js';
import { PostgresCampaign } from './postgres-campaign.js';
import { migrate, quoteIdentifier } from './schema.js';

/** What a claim of an idempotence key found (see {@link ServiceTables.claimKey}). */
export type KeyClaim =
  | { readonly kind: 'new' }
  | { readonly kind: 'done'; readonly answer: string }
  | { readonly kind: 'busy' }
  | { readonly kind: 'conflict' };

/**
 * The tables the HTTP service (`dialer-scheduler serve`) keeps beside the campaigns (migration 2): each
 * campaign's token as its SHA-256, and the Calls API's idempotence keys. One pool serves these tables
 * and every campaign the service opens. Times are the database server's clock, unless an instant is
 * passed in (`nowMs`: the service's injected clock, for tests and simulations).
 */
export class ServiceTables {
  readonly #pool: pg.Pool;
  readonly #schema: string;
  readonly #s: string;

  private constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#schema = schema;
    this.#s = quoteIdentifier(schema);
  }

  /** Connects a pool of `poolSize` to `connectionString` and brings the schema up to date. */
  static async open(options: {
    readonly connectionString: string;
    readonly poolSize?: number;
    readonly schema?: string;
  }): Promise<ServiceTables> {
    const { connectionString, poolSize = 10, schema = 'dialer_scheduler' } = options;
    // The same checks as PostgresCampaign.open's, on a placeholder name.
    readOpenOptions({ name: 'service', connectionString, poolSize, schema });
    const pool = new pg.Pool({ connectionString, max: poolSize });
    pool.on('error', () => {});
    try {
      const client = await pool.connect();
      try {
        await migrate(client, schema);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new ServiceTables(pool, schema);
  }

  /** Opens campaign `name` on this pool (creating it when missing), as `PostgresCampaign.open` does. */
  openCampaign(
    name: string,
    options: Omit<PostgresCampaignOptions, 'name' | 'pool' | 'connectionString' | 'schema'> = {},
  ): Promise<PostgresCampaign> {
    return PostgresCampaign.open({ ...options, name, pool: this.#pool, schema: this.#schema });
  }

  /**
   * Gives campaign `name` the token whose SHA-256 is `tokenSha256`; false, changing nothing, when the
   * campaign already has a token (or does not exist).
   */
  async setToken(name: string, tokenSha256: Buffer): Promise<boolean> {
    const result = await this.#pool.query(
      `INSERT INTO ${this.#s}.campaign_tokens (campaign_id, token_sha256)
      SELECT id, $2 FROM ${this.#s}.campaigns WHERE name = $1 ON CONFLICT DO NOTHING`,
      [name, tokenSha256],
    );
    return result.rowCount === 1;
  }

  /** The campaign whose token has the SHA-256 `tokenSha256`, or undefined. */
  async campaignOfToken(tokenSha256: Buffer): Promise<{ id: number; name: string } | undefined> {
    const result = await this.#pool.query<{ id: number; name: string }>(
      `SELECT c.id::float8 AS id, c.name FROM ${this.#s}.campaign_tokens t
      JOIN ${this.#s}.campaigns c ON c.id = t.campaign_id WHERE t.token_sha256 = $1`,
      [tokenSha256],
    );
    return result.rows[0];
  }

  /**
   * Claims idempotence key `key` of `route` for a request whose SHA-256 is `requestSha256`: `new` (this
   * request is the first in `ttlMs`: answer it, then {@link storeAnswer} or {@link releaseKey}), `done`
   * (answered before: the stored answer), `busy` (the first request is still in progress) or `conflict`
   * (the key was used with another request). A claim left unanswered for `staleMs` (its process died)
   * is taken over. The claim's instant is `nowMs` (epoch ms), else the database server's `now()`; a
   * key first used at `c` is kept while the instant is before `c + ttlMs` (half-open, as in memory).
   */
  async claimKey(
    campaignId: number,
    route: string,
    key: string,
    requestSha256: Buffer,
    ttlMs: number,
    staleMs: number,
    nowMs?: number,
  ): Promise<KeyClaim> {
    const s = this.#s;
    const now = nowMs ?? null;
    for (;;) {
      await this.#pool.query(
        `DELETE FROM ${s}.idempotence_keys WHERE campaign_id = $1 AND route = $2 AND key = $3
        AND (created_at <= ${instant(6)} - $4::float8 * interval '1 millisecond'
          OR (answer IS NULL AND created_at <= ${instant(6)} - $5::float8 * interval '1 millisecond'))`,
        [campaignId, route, key, ttlMs, staleMs, now],
      );
      const inserted = await this.#pool.query(
        `INSERT INTO ${s}.idempotence_keys (campaign_id, route, key, request_sha256, created_at)
        VALUES ($1, $2, $3, $4, ${instant(5)}) ON CONFLICT DO NOTHING`,
        [campaignId, route, key, requestSha256, now],
      );
      if (inserted.rowCount === 1) return { kind: 'new' };
      const found = await this.#pool.query<{ request_sha256: Buffer; answer: string | null }>(
        `SELECT request_sha256, answer FROM ${s}.idempotence_keys WHERE campaign_id = $1 AND route = $2 AND key = $3`,
        [campaignId, route, key],
      );
      const row = found.rows[0];
      // Deleted by another process in between: claim again.
      if (row === undefined) continue;
      if (!row.request_sha256.equals(requestSha256)) return { kind: 'conflict' };
      return row.answer === null ? { kind: 'busy' } : { kind: 'done', answer: row.answer };
    }
  }

  /** Records the answer of the request that claimed `key`. */
  async storeAnswer(campaignId: number, route: string, key: string, answer: string): Promise<void> {
    await this.#pool.query(
      `UPDATE ${this.#s}.idempotence_keys SET answer = $4 WHERE campaign_id = $1 AND route = $2 AND key = $3`,
      [campaignId, route, key, answer],
    );
  }

  /** Forgets a claim whose request failed, so that the key can be used again. */
  async releaseKey(campaignId: number, route: string, key: string): Promise<void> {
    await this.#pool.query(
      `DELETE FROM ${this.#s}.idempotence_keys WHERE campaign_id = $1 AND route = $2 AND key = $3 AND answer IS NULL`,
      [campaignId, route, key],
    );
  }

  /** Deletes the keys older than `ttlMs` at `nowMs` (epoch ms; else `now()`), of every campaign; returns how many. */
  async sweepKeys(ttlMs: number, nowMs?: number): Promise<number> {
    const result = await this.#pool.query(
      `DELETE FROM ${this.#s}.idempotence_keys WHERE created_at <= ${instant(2)} - $1::float8 * interval '1 millisecond'`,
      [ttlMs, nowMs ?? null],
    );
    return result.rowCount ?? 0;
  }

  /** Ends the pool (after the campaigns opened on it are done). */
  async close(): Promise<void> {
    await this.#pool.end();
  }
}

/** SQL for the instant of parameter `$n` (epoch ms, or null for the database server's `now()`). */
function instant(n: number): string {
  return `coalesce(to_timestamp($${n}::float8 / 1000), now())`;
}
