import { leaseArguments, type ServeNextRow } from './at-once.js';
import { type CampaignTx, placeholders } from './campaign-tx.js';
import type { LoadedJob } from './job-row.js';

/**
 * Cycles in one statement: each the report of a task this process served and the next serve at the
 * report's instant, by `report_and_serve` (migration 10 of `schema.ts`), for `completeAndNext` and
 * `failAndNext`. Several calls that arrive together share the statement, its round trip and its commit;
 * each still commits whole or changes nothing: its report is written only with the serve's read, and a
 * serve that needs a transaction (its report left its own job due) runs after the statement as `next`.
 */

/** One call's part of a batch: its own transaction state (for the shared transitions and its events). */
export interface Cycle {
  readonly tx: CampaignTx;
  readonly job: LoadedJob;
  readonly atMs: number;
}

/** What a batch did for one cycle: whether the report applied and, if so, `report_and_serve`'s row and the lease token. */
export interface CycleResult {
  readonly reported: boolean;
  readonly row: ServeNextRow | undefined;
  readonly token: string;
}

const texts = new Map<string, string>();

/**
 * The statement of `count` cycles, in order: a UNION ALL runs its branches one after the other (an
 * Append that is not parallel: `report_and_serve` must stay PARALLEL UNSAFE, the default), and each
 * branch sees the writes of those before it (a volatile function's statements each take a new snapshot).
 */
function cycleStatement(s: string, count: number, argumentCount: number): string {
  const key = `${s}\u0000${count}\u0000${argumentCount}`;
  let text = texts.get(key);
  if (text === undefined) {
    text = Array.from(
      { length: count },
      (_, k) =>
        `SELECT ${k}::int AS k, r.* FROM ${s}.report_and_serve(${placeholders(k * argumentCount + 1, argumentCount)}) r`,
    ).join('\nUNION ALL\n');
    texts.set(key, text);
  }
  return text;
}

/**
 * Writes `cycles` (each one's attempt already ended on its `tx`, the only row it changed; all on one
 * client) in one statement: nothing at all when it fails. Each result says whether that report applied
 * (its `tx` is then as written) and gives the row of its serve.
 */
export async function writeCycles(cycles: readonly Cycle[]): Promise<CycleResult[]> {
  const first = cycles[0];
  if (first === undefined) return [];
  const values: unknown[] = [];
  const tokens: string[] = [];
  let argumentCount = 0;
  for (const { tx, job, atMs } of cycles) {
    const report = tx.servedReportValues(job, atMs);
    const lease = leaseArguments(tx);
    argumentCount = report.length + lease.values.length;
    values.push(...report, ...lease.values);
    tokens.push(lease.token);
  }
  const result = await first.tx.query<ServeNextRow & { k: number; reported: boolean }>(
    cycleStatement(first.tx.ctx.s, cycles.length, argumentCount),
    values,
  );
  const rows = new Map(result.rows.map((row) => [row.k, row]));
  return cycles.map(({ tx, job }, k) => {
    const row = rows.get(k);
    const reported = tx.servedReportWritten(job, row?.reported === true);
    return { reported, row: reported ? row : undefined, token: tokens[k]! };
  });
}
