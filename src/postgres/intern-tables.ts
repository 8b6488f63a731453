import type pg from 'pg';
import { blackoutDaysOfKey } from '../schedule/blackout-days.js';
import type { CallSchedule } from '../schedule/call-schedule.js';
import { zoneRulesListOf } from '../schedule/gmt-zone.js';
import { LruCache } from '../schedule/lru-cache.js';
import { scheduleKeyOf, scheduleKeyOfStored, scheduleOfParts } from '../schedule/schedule-cache.js';
import { rulesOfKey, weeklyWindowsOfRules } from '../schedule/weekly-windows.js';

/** Rows of a table that interns values per campaign, cached by this process both ways. */
const CACHE_CAPACITY = 16_384;

/**
 * A campaign's compiled schedules in the `schedules` table: a schedule is stored once (zone key, bounds,
 * weekly rule key, blackout day key) and jobs refer to it by ID; this process keeps the ones it used in a bounded cache.
 */
export class ScheduleTable {
  readonly #byId = new LruCache<number, CallSchedule>(CACHE_CAPACITY);
  readonly #idByKey = new LruCache<string, number>(CACHE_CAPACITY);
  readonly #table: string;
  readonly #campaignId: number;

  constructor(schemaSql: string, campaignId: number) {
    this.#table = `${schemaSql}.schedules`;
    this.#campaignId = campaignId;
  }

  /** The IDs of `schedules`, stored where missing (in the caller's transaction). */
  async idsOf(client: pg.ClientBase, schedules: readonly CallSchedule[]): Promise<number[]> {
    const missing = new Map<string, CallSchedule>();
    for (const schedule of schedules) {
      const key = scheduleKeyOf(schedule);
      if (this.#idByKey.get(key) === undefined) missing.set(key, schedule);
    }
    if (missing.size > 0) {
      const list = [...missing.values()];
      const result = await client.query<ScheduleRow & { id: number }>(
        `WITH v AS (SELECT * FROM unnest($2::text[], $3::float8[], $4::float8[], $5::text[], $6::text[]) AS v(zone, start_ms, finish_ms, weekly, blackout)),
        ins AS (
          INSERT INTO ${this.#table} (campaign_id, zone, start_ms, finish_ms, weekly, blackout)
          SELECT $1, zone, start_ms, finish_ms, weekly, blackout FROM v
          ON CONFLICT DO NOTHING RETURNING id, zone, start_ms, finish_ms, weekly, blackout)
        SELECT id::float8 AS id, zone, start_ms, finish_ms, weekly, blackout FROM ins
        UNION ALL
        SELECT s.id::float8, s.zone, s.start_ms, s.finish_ms, s.weekly, s.blackout FROM ${this.#table} s
        JOIN v USING (zone, start_ms, finish_ms, weekly, blackout)
        WHERE s.campaign_id = $1`,
        [
          this.#campaignId,
          list.map((s) => s.zoneKey),
          list.map((s) => s.startMs),
          list.map((s) => s.finishMs),
          list.map((s) => s.weekly.key),
          list.map((s) => s.blackout.key),
        ],
      );
      for (const row of result.rows) {
        const key = scheduleKeyOfStored(row.zone, row.start_ms, row.finish_ms, row.weekly, row.blackout);
        const schedule = missing.get(key);
        if (schedule === undefined) continue;
        this.#idByKey.set(key, row.id);
        this.#byId.set(row.id, schedule);
      }
    }
    return schedules.map((schedule) => {
      const id = this.#idByKey.get(scheduleKeyOf(schedule));
      if (id === undefined) throw new Error(`schedule ${scheduleKeyOf(schedule)} was not stored`);
      return id;
    });
  }

  /** Loads the schedules of these IDs that this process has not cached. */
  async load(client: pg.ClientBase | pg.Pool, ids: Iterable<number>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => this.#byId.get(id) === undefined);
    if (missing.length === 0) return;
    const result = await client.query<ScheduleRow & { id: number }>(
      `SELECT id::float8 AS id, zone, start_ms, finish_ms, weekly, blackout FROM ${this.#table} WHERE id = ANY($1::bigint[])`,
      [missing],
    );
    for (const row of result.rows) this.#byId.set(row.id, scheduleOfRow(row));
  }

  /** A schedule loaded (or stored) before in this transaction. */
  get(id: number): CallSchedule {
    const schedule = this.#byId.get(id);
    if (schedule === undefined) throw new Error(`schedule ${id} is not loaded`);
    return schedule;
  }
}

/** A row of the `schedules` table: the zone key, bounds, weekly rule key and blackout day key. */
export interface ScheduleRow {
  readonly zone: string;
  readonly start_ms: number;
  readonly finish_ms: number;
  readonly weekly: string;
  readonly blackout: string;
}

/** A stored schedule compiled again (its parts were checked when it was first stored or imported). */
export function scheduleOfRow(row: ScheduleRow): CallSchedule {
  const rules = rulesOfKey(row.weekly);
  if (rules === undefined) throw new Error(`stored weekly rules ${row.weekly} are not valid`);
  const blackout = blackoutDaysOfKey(row.blackout);
  if (blackout === undefined) throw new Error(`stored blackout days ${row.blackout} are not valid`);
  return scheduleOfParts(
    zoneRulesListOf(row.zone),
    weeklyWindowsOfRules(rules),
    row.start_ms,
    row.finish_ms,
    blackout,
  );
}

/**
 * A campaign's policy keys (the entries' own schedule fields, for the duplicate check and snapshots)
 * in the `policy_keys` table, by ID.
 */
export class PolicyKeyTable {
  readonly #idByKey = new LruCache<string, number>(CACHE_CAPACITY);
  readonly #table: string;
  readonly #campaignId: number;

  constructor(schemaSql: string, campaignId: number) {
    this.#table = `${schemaSql}.policy_keys`;
    this.#campaignId = campaignId;
  }

  /** The IDs of `keys`, stored where missing (in the caller's transaction). */
  async idsOf(client: pg.ClientBase, keys: readonly string[]): Promise<number[]> {
    const missing = [...new Set(keys)].filter((key) => this.#idByKey.get(key) === undefined);
    if (missing.length > 0) {
      const result = await client.query<{ id: number; key: string }>(
        `WITH ins AS (
          INSERT INTO ${this.#table} (campaign_id, key) SELECT $1, k FROM unnest($2::text[]) k
          ON CONFLICT DO NOTHING RETURNING id, key)
        SELECT id::float8 AS id, key FROM ins
        UNION ALL
        SELECT id::float8, key FROM ${this.#table} WHERE campaign_id = $1 AND key = ANY($2::text[])`,
        [this.#campaignId, missing],
      );
      for (const row of result.rows) this.#idByKey.set(row.key, row.id);
    }
    return keys.map((key) => this.#idByKey.get(key)!);
  }
}
