import TinyQueue from 'tinyqueue';
import { type CallTask, Campaign } from '../src/index.js';
import { Random } from '../src/sim/random.js';
import { syntheticDefaults, syntheticEntries } from '../src/sim/synthetic-campaign.js';
import { usedBytes } from './heap.js';

/** Memory of one long-running campaign at some days, with the default options. */
export interface LongCampaignFigures {
  readonly days: number;
  readonly numbersPerDay: number;
  /** `heapUsed + external` after `gc()`, in bytes, by day. */
  readonly bytesAtDay: Record<string, number>;
  /** Jobs retained at each of those days. */
  readonly jobsAtDay: Record<string, number>;
  /** Bytes at the last day over bytes at the first measured day. */
  readonly growth: number;
  readonly dials: number;
  readonly seconds: number;
}

const START_MS = Date.parse('2024-03-04T00:00:00Z');
const DAY_MS = 86_400_000;
const CALL_MS = 90_000;

/**
 * One campaign with the default options (retention included) running `days` simulated days: each day
 * at 00:00 UTC `numbersPerDay` new synthetic numbers (the simulation's generator, a new seed each day,
 * payloads and all), dialed on `lines` lines with 90-second calls, a third answered and the rest failed
 * (so jobs retry and end). Memory is read after `gc()` at the end of each day in `measureAt`.
 */
export function benchLongCampaign(
  days = 60,
  numbersPerDay = 20_000,
  lines = 60,
  measureAt: readonly number[] = [10, 30, 60],
): LongCampaignFigures {
  const t0 = performance.now();
  const defaults = { ...syntheticDefaults(START_MS) } as Record<string, unknown>;
  delete defaults.finishDateTime;
  const campaign = new Campaign({ defaults });
  const random = new Random(7);
  const calls = new TinyQueue<{ endMs: number; task: CallTask }>([], (a, b) => a.endMs - b.endMs);
  const bytesAtDay: Record<string, number> = {};
  const jobsAtDay: Record<string, number> = {};
  let dials = 0;
  let t = START_MS;
  for (let day = 1; day <= days; day++) {
    const dayStart = START_MS + (day - 1) * DAY_MS;
    const dayEnd = dayStart + DAY_MS;
    campaign.addPhones([...syntheticEntries({ numbers: numbersPerDay, seed: day, startMs: dayStart })], {
      now: Math.max(t, dayStart),
    });
    t = Math.max(t, dayStart);
    while (t < dayEnd) {
      for (let top = calls.peek(); top !== undefined && top.endMs <= t; top = calls.peek()) {
        calls.pop();
        try {
          if (random.chance(1 / 3)) campaign.complete(top.task, t);
          else campaign.fail(top.task, t);
        } catch {
          // A report after its lease expired: already counted as failed.
        }
      }
      while (calls.length < lines) {
        const task = campaign.next(t);
        if (task === undefined) break;
        dials++;
        calls.push({ endMs: t + CALL_MS, task });
      }
      const readyAt = calls.length < lines ? (campaign.nextReadyAt(t) ?? Number.POSITIVE_INFINITY) : Infinity;
      t = Math.min(calls.peek()?.endMs ?? Number.POSITIVE_INFINITY, readyAt, dayEnd);
    }
    if (measureAt.includes(day)) {
      bytesAtDay[day] = usedBytes(false);
      jobsAtDay[day] = campaign.stats().total;
    }
  }
  const first = bytesAtDay[measureAt[0]!]!;
  const last = bytesAtDay[measureAt[measureAt.length - 1]!]!;
  return {
    days,
    numbersPerDay,
    bytesAtDay,
    jobsAtDay,
    growth: last / first,
    dials,
    seconds: (performance.now() - t0) / 1000,
  };
}
