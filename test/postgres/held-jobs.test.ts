/**
 * Spec section 13, Scale ("serving stays an index lookup however many jobs are waiting") with section
 * 12's `maxAttemptsPer24h`: a ready job whose phone the cap holds is parked out of the serve index
 * (migration 9) and put back when the cap frees the phone, so a serve does not pass over every held
 * job. Parking must not change what is served: each scenario runs on the in-memory engine too, call for
 * call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Campaign, type CampaignOptions, type EntryInput } from '../../src/index.js';
import { PostgresCampaign } from '../../src/postgres/index.js';
import { useTestDatabase } from './database.js';
import { withClient } from './server.js';

const T0 = Date.parse('2024-03-04T15:00:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;
const OPTIONS = {
  rules: [{ name: 'one a day', maxAttemptsPer24h: 1 }],
  defaults: { maxAttempts: 3, retryIntervalInMinutes: 1 },
} satisfies CampaignOptions;

const opened: PostgresCampaign[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((campaign) => campaign.close()));
});

const phone = (k: number): string => `+1202555${String(1000 + k)}`;
const iv = (localTimeFrom: string, localTimeTo: string) => ({ localTimeFrom, localTimeTo });

describe('PostgresCampaign parks the jobs a 24-hour cap holds (§12, §13)', () => {
  const db = useTestDatabase('held-jobs');

  async function both(name: string): Promise<{ pg: PostgresCampaign; memory: Campaign }> {
    const pg = await PostgresCampaign.open({ connectionString: db.url, name, poolSize: 1, ...OPTIONS });
    opened.push(pg);
    return { pg, memory: new Campaign(OPTIONS) };
  }

  /** Ready jobs of the campaign: in the serve index (not parked) and parked, with their holds. */
  async function readyRows(
    name: string,
  ): Promise<{ free: number; parked: { id: number; holdUntil: number; capUntil: number }[] }> {
    return withClient(db.url, async (client) => {
      const result = await client.query<{ id: number; hold_until: number; cap_until: number }>(
        `SELECT j.id::float8 AS id, j.hold_until, p.cap_until FROM dialer_scheduler.jobs j
        JOIN dialer_scheduler.phones p ON p.id = j.phone_id
        WHERE j.state = 1 AND j.campaign_id = (SELECT id FROM dialer_scheduler.campaigns WHERE name = $1) ORDER BY j.id`,
        [name],
      );
      const parked = result.rows.filter((row) => row.hold_until > Number.NEGATIVE_INFINITY);
      return {
        free: result.rows.length - parked.length,
        parked: parked.map((row) => ({ id: row.id, holdUntil: row.hold_until, capUntil: row.cap_until })),
      };
    });
  }

  /** Serves and reports on both backends until neither serves; the served job IDs, in order. */
  async function drain(
    pg: PostgresCampaign,
    memory: Campaign,
    atMs: number,
    fail: boolean,
  ): Promise<string[]> {
    const served: string[] = [];
    for (;;) {
      const [a, b] = [await pg.next(atMs), memory.next(atMs)];
      expect(a?.jobId).toBe(b?.jobId);
      if (a === undefined || b === undefined) return served;
      expect(a.attempt).toBe(b.attempt);
      served.push(a.jobId);
      if (fail) {
        await pg.fail(a, atMs);
        memory.fail(b, atMs);
      } else {
        await pg.complete(a, atMs);
        memory.complete(b, atMs);
      }
    }
  }

  it('parks retries that become ready while the cap holds their phone, and serves them when it frees it', async () => {
    const name = 'retries';
    const { pg, memory } = await both(name);
    const entries: EntryInput[] = Array.from({ length: 40 }, (_, k) => ({ phone: phone(k), payload: { k } }));
    await pg.addPhones(entries, { now: T0 });
    memory.addPhones(entries, { now: T0 });
    expect(await drain(pg, memory, T0, true)).toHaveLength(40);

    // The retries are ready a minute later, but each phone had its one attempt of the day.
    expect(await drain(pg, memory, T0 + 5 * MINUTE, false)).toEqual([]);
    const held = await readyRows(name);
    console.log(`[retries] ready jobs in the serve index: ${held.free}, parked: ${held.parked.length}`);
    expect(held.free).toBe(0);
    expect(held.parked).toHaveLength(40);
    for (const row of held.parked) expect(row.holdUntil).toBe(row.capUntil);
    expect((await pg.stats()).waiting).toBe(memory.stats().waiting);

    // A phone added meanwhile is served past them; a job added for a held phone is parked at once.
    const late = [
      { phone: phone(99), payload: { late: true } },
      { phone: phone(0), payload: { again: true } },
    ];
    await pg.addPhones(late, { now: T0 + 6 * MINUTE });
    memory.addPhones(late, { now: T0 + 6 * MINUTE });
    await pg.addTestPhone({ phone: phone(1) }, { now: T0 + 6 * MINUTE });
    memory.addTestPhone({ phone: phone(1) }, { now: T0 + 6 * MINUTE });
    expect((await readyRows(name)).parked).toHaveLength(42);
    expect(await drain(pg, memory, T0 + 6 * MINUTE, false)).toHaveLength(1);

    // A day after the first attempts every hold has ended: the jobs are back and served in order.
    const again = await drain(pg, memory, T0 + DAY + MINUTE, false);
    // Phones 0 and 1 had two jobs each: the second waits for the cap of the first's attempt.
    expect(again).toHaveLength(40);
    expect(await drain(pg, memory, T0 + 2 * DAY + 2 * MINUTE, false)).toHaveLength(2);
    expect((await readyRows(name)).parked).toEqual([]);
    expect(await pg.stats()).toEqual(memory.stats());
  });

  it('finds nextReadyAt among more held jobs than one read takes, as in memory (§9, §12)', async () => {
    const { pg, memory } = await both('next-ready');
    // Monday 15:00: every phone gets its one attempt of the day at once; the cap frees them all on
    // Tuesday 15:00, when the last job's window opens first.
    const window = (tuesday: [string, string]) => ({
      gmtZone: 'UTC',
      allowedTime: { mon: [iv('15:00', '15:30')], tue: [iv(...tuesday)] },
    });
    const entries: EntryInput[] = Array.from({ length: 150 }, (_, k) => ({
      phone: phone(k),
      ...window(k === 149 ? ['15:30', '16:00'] : ['20:00', '21:00']),
    }));
    await pg.addPhones(entries, { now: T0 });
    memory.addPhones(entries, { now: T0 });
    expect(await drain(pg, memory, T0, true)).toHaveLength(150);
    const atMs = T0 + 10 * MINUTE;
    expect(await pg.nextReadyAt(atMs)).toBe(memory.nextReadyAt(atMs));
    expect(memory.nextReadyAt(atMs)).toBe(Date.parse('2024-03-05T15:30:00Z'));
  });

  it("parks a phone's other ready jobs when an attempt makes the cap hold it, served at once or in a transaction", async () => {
    const name = 'siblings';
    const { pg, memory } = await both(name);
    const entries: EntryInput[] = [
      { phone: phone(1), payload: { n: 1 } },
      { phone: phone(1), payload: { n: 2 } },
      { phone: phone(1), payload: { n: 3 } },
      // Waiting until T0 + 10 min: a serve after it has it due, so runs as a transaction.
      { phone: phone(2), payload: { n: 4 }, dialerPriority: 9, startDateTime: T0 + 10 * MINUTE },
      { phone: phone(2), payload: { n: 5 }, dialerPriority: 9, startDateTime: T0 + 10 * MINUTE },
    ];
    await pg.addPhones(entries, { now: T0 });
    memory.addPhones(entries, { now: T0 });

    // Served in one statement (nothing due): the phone's two other jobs are parked until the cap frees it.
    const first = await pg.next(T0);
    expect(first?.jobId).toBe(memory.next(T0)?.jobId);
    const parked = (await readyRows(name)).parked;
    expect(parked.map((row) => row.holdUntil)).toEqual([T0 + DAY, T0 + DAY]);
    await pg.complete(first!, T0 + MINUTE);
    memory.complete(first!.jobId, T0 + MINUTE);

    // Served after the waiting jobs' start is due (a transaction): phone 2's other job is parked too.
    const second = await pg.next(T0 + 20 * MINUTE);
    expect(second?.jobId).toBe(memory.next(T0 + 20 * MINUTE)?.jobId);
    expect((await readyRows(name)).parked.map((row) => row.holdUntil)).toEqual([
      T0 + DAY,
      T0 + DAY,
      T0 + 20 * MINUTE + DAY,
    ]);
    await pg.complete(second!, T0 + 21 * MINUTE);
    memory.complete(second!.jobId, T0 + 21 * MINUTE);
    expect(await drain(pg, memory, T0 + 30 * MINUTE, false)).toEqual([]);

    // Each hold ends with its phone's cap, one phone at a time.
    expect(await drain(pg, memory, T0 + DAY, false)).toHaveLength(1);
    expect((await readyRows(name)).parked).toHaveLength(2);
    expect(await drain(pg, memory, T0 + 20 * MINUTE + DAY, false)).toHaveLength(1);
    expect(await drain(pg, memory, T0 + 2 * DAY, false)).toHaveLength(1);
    expect(await pg.stats()).toEqual(memory.stats());
  });
});
