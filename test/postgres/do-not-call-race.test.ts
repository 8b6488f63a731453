/**
 * A block and an add of the same phone in two processes at once (spec section 12 "Do not call",
 * section 13): whichever commits first, no unfinished job of a blocked phone is left. The two are
 * serialized by the campaign row's lock; each test starts the second call while the first holds it.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresCampaign } from '../../src/postgres/index.js';
import { useTestDatabase } from './database.js';

const T0 = Date.parse('2024-03-04T08:00:00Z');

/** Runs `during` (not awaited) the first time a client of `pool` sends a statement containing `marker`. */
function onStatement(pool: pg.Pool, marker: string, during: () => void): { readonly fired: () => boolean } {
  let fired = false;
  pool.on('acquire', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      const text =
        typeof first === 'object' && first !== null ? (first as { text: string }).text : String(first);
      if (!fired && text.includes(marker)) {
        fired = true;
        during();
      }
      return query(...args);
    };
  });
  return { fired: () => fired };
}

describe('blockPhones and addPhones in two processes at once (§12, §13)', () => {
  const db = useTestDatabase('do-not-call-race');

  async function twoProcesses(name: string) {
    const poolA = new pg.Pool({ connectionString: db.url, max: 2 });
    const poolB = new pg.Pool({ connectionString: db.url, max: 2 });
    poolA.on('error', () => {});
    poolB.on('error', () => {});
    const a = await PostgresCampaign.open({ pool: poolA, name });
    const b = await PostgresCampaign.open({ pool: poolB, name });
    const close = async () => {
      await a.close();
      await b.close();
      await poolA.end();
      await poolB.end();
    };
    return { a, b, poolA, poolB, close };
  }

  it('cancels the job of an add that read the list first (§12)', async () => {
    const { a, b, poolA, close } = await twoProcesses('add-first');
    try {
      let block: Promise<string[]> | undefined;
      // A has locked the campaign row and reads the list: B's block starts then, and waits for A.
      const hook = onStatement(poolA, 'FROM "dialer_scheduler".do_not_call', () => {
        block = b.blockPhones(['16500000001'], T0 + 1);
      });
      const added = await a.addPhones([{ phone: '16500000001' }], { now: T0 });
      expect(hook.fired()).toBe(true);
      expect(added).toMatchObject({ jobIds: ['1'], blocked: [] });
      expect(await block).toEqual(['1']);
      expect((await a.job('1'))?.state).toBe('cancelled');
    } finally {
      await close();
    }
  });

  it('leaves out the entry of an add that starts while the block holds the campaign (§12)', async () => {
    const { a, b, poolB, close } = await twoProcesses('block-first');
    try {
      let add: ReturnType<typeof a.addPhones> | undefined;
      // B has locked the campaign row and writes the list: A's add starts then, and waits for B.
      const hook = onStatement(poolB, 'INSERT INTO "dialer_scheduler".do_not_call', () => {
        add = a.addPhones([{ phone: '16500000001' }, { phone: '16500000002' }], { now: T0 });
      });
      expect(await b.blockPhones(['16500000001'], T0)).toEqual([]);
      expect(hook.fired()).toBe(true);
      expect(await add).toMatchObject({ jobIds: [null, '1'], blocked: [0] });
      expect(await a.stats()).toMatchObject({ total: 1 });
    } finally {
      await close();
    }
  });
});
