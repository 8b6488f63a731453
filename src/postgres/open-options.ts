import type pg from 'pg';
import { type CampaignOptions, type ResolvedOptions, resolveOptions } from '../engine/options.js';
import { DialerError, quote } from '../errors.js';
import type { JsonValue } from '../policy/types.js';
import { canonicalJson } from './dedup-key.js';

/** Options of `PostgresCampaign.open` and `import`: where the campaign lives, and those of section 10. */
export interface PostgresCampaignOptions extends CampaignOptions {
  /** The campaign's name, unique in its schema: processes that open one name share the campaign. */
  readonly name: string;
  /** A pool of the caller's (not ended by `close`). Give this or `connectionString`. */
  readonly pool?: pg.Pool;
  /** A connection string: the campaign makes a pool of its own of `poolSize` connections, ended by `close`. */
  readonly connectionString?: string;
  /** Connections of the campaign's own pool. @default 10 */
  readonly poolSize?: number;
  /** The database schema of the tables, created when missing. @default 'dialer_scheduler' */
  readonly schema?: string;
  /**
   * `completeAndNext` / `failAndNext` statements of this process in flight at once: calls beyond wait
   * and go together, up to 16 in one statement, round trip and commit. The pool's size sends each at
   * once (when a connection is free).
   * @default 2
   */
  readonly cycleStatements?: number;
}

/** The options that are data, stored with the campaign when it is created (a snapshot's `options`). */
export const STORED_OPTIONS = [
  'defaults',
  'strictPriority',
  'leaseTimeoutMs',
  'dedupWindowMs',
  'maxTotalAttempts',
  'maxPayloadBytes',
  'retentionMs',
] as const;

export type StoredOptions = { readonly [K in (typeof STORED_OPTIONS)[number]]: JsonValue } & {
  /** The `rules` option as given (absent: none), compared on reopen like the others. */
  readonly rules?: JsonValue;
};

const CONNECTION_OPTIONS = ['name', 'pool', 'connectionString', 'poolSize', 'schema', 'cycleStatements'];

const bad = (name: string, value: unknown, expected: string): DialerError =>
  new DialerError([
    {
      path: [name],
      code: 'invalid.option',
      message: `${name} ${quote(value)} is not valid: expected ${expected}.`,
    },
  ]);

/** Splits and checks the connection options; the rest are the campaign's, validated as `new Campaign` does. */
export function readOpenOptions(options: unknown): {
  readonly name: string;
  readonly schema: string;
  readonly pool: pg.Pool | undefined;
  readonly connectionString: string | undefined;
  readonly poolSize: number;
  readonly cycleStatements: number;
  readonly campaign: Record<string, unknown>;
  readonly resolved: ResolvedOptions;
} {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw bad('options', options, 'an object with name and pool or connectionString');
  const o = options as Record<string, unknown>;
  const { name, pool, connectionString, poolSize = 10, schema = 'dialer_scheduler', cycleStatements = 2 } = o;
  if (typeof name !== 'string' || name.length === 0 || name.length > 200)
    throw bad('name', name, 'a campaign name of 1 to 200 characters');
  if (typeof schema !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema))
    throw bad('schema', schema, 'an SQL identifier (letters, digits, _; at most 63)');
  if (!Number.isInteger(poolSize) || (poolSize as number) < 1 || (poolSize as number) > 1000)
    throw bad('poolSize', poolSize, 'an integer from 1 to 1000');
  if (
    !Number.isInteger(cycleStatements) ||
    (cycleStatements as number) < 1 ||
    (cycleStatements as number) > 1000
  )
    throw bad('cycleStatements', cycleStatements, 'an integer from 1 to 1000');
  if ((pool === undefined) === (connectionString === undefined))
    throw bad('pool', pool, 'either a pg.Pool (pool) or a connectionString, not both');
  if (
    pool !== undefined &&
    (typeof pool !== 'object' || pool === null || typeof (pool as pg.Pool).connect !== 'function')
  )
    throw bad('pool', pool, 'a pg.Pool');
  if (connectionString !== undefined && typeof connectionString !== 'string')
    throw bad('connectionString', connectionString, 'a PostgreSQL connection string');
  const campaign: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(o)) if (!CONNECTION_OPTIONS.includes(key)) campaign[key] = value;
  return {
    name,
    schema,
    pool: pool as pg.Pool | undefined,
    connectionString: connectionString as string | undefined,
    poolSize: poolSize as number,
    cycleStatements: cycleStatements as number,
    campaign,
    resolved: resolveOptions(campaign),
  };
}

/** The stored form of resolved options. */
export function storedOptionsOf(options: ResolvedOptions): StoredOptions {
  return {
    defaults: options.defaultsInput as JsonValue,
    strictPriority: options.strictPriority,
    leaseTimeoutMs: options.leaseTimeoutMs,
    dedupWindowMs: options.dedupWindowMs,
    maxTotalAttempts: options.maxTotalAttempts ?? null,
    maxPayloadBytes: options.maxPayloadBytes,
    retentionMs: options.retentionMs,
    ...(options.rulesInput.length === 0 ? {} : { rules: options.rulesInput as unknown as JsonValue }),
  };
}

/**
 * The options of a campaign opened again: the stored ones, with the functions given now. An option given
 * now that differs from the stored one is `invalid.option` (a campaign's data options are fixed when it
 * is created).
 */
export function reopenedOptions(
  stored: StoredOptions,
  given: Record<string, unknown>,
  givenResolved: ResolvedOptions,
  name: string,
): ResolvedOptions {
  const now = storedOptionsOf(givenResolved);
  const issues = [];
  for (const key of STORED_OPTIONS) {
    if (given[key] === undefined) continue;
    if (canonicalJson(now[key]) !== canonicalJson(stored[key])) {
      issues.push({
        path: [key],
        code: 'invalid.option' as const,
        message: `${key} ${quote(given[key])} contradicts campaign ${quote(name)}'s stored ${quote(stored[key])}: the options that are data are fixed when a campaign is created.`,
      });
    }
  }
  if (given.rules !== undefined && canonicalJson(now.rules ?? []) !== canonicalJson(stored.rules ?? [])) {
    issues.push({
      path: ['rules'],
      code: 'invalid.option' as const,
      message: `rules ${quote(given.rules)} contradict campaign ${quote(name)}'s stored ${quote(stored.rules ?? [])}: the options that are data are fixed when a campaign is created.`,
    });
  }
  if (issues.length > 0) throw new DialerError(issues);
  const functions: Record<string, unknown> = {};
  if (given.clock !== undefined) functions.clock = given.clock;
  if (given.zoneResolver !== undefined) functions.zoneResolver = given.zoneResolver;
  if (given.doNotCall !== undefined) functions.doNotCall = given.doNotCall;
  return resolveOptions({
    ...stored,
    maxTotalAttempts: stored.maxTotalAttempts ?? undefined,
    ...functions,
  });
}
