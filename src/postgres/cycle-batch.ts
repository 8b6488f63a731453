import { type ServeNextRow, serveArguments } from './at-once.js';
import { type CampaignTx, placeholders } from './campaign-tx.js';
import type { LoadedJob } from './job-row.js';

/**
 * Cycles in one statement: each the report of a task this process served (`report_served`) and, when
 * it applied, the next serve at the report's instant (`serve_next`), for `completeAndNext` and
 * `failAndNext`. Several calls that arrive together share the statement, its round trip and its commit;
 * each still commits whole or changes nothing, as its report and serve both apply or neither runs.
 */

/** One call's part of a batch: its own transaction state (for the shared transitions and its events). */
export interface Cycle {
  readonly tx: CampaignTx;
  readonly job: LoadedJob;
  readonly atMs: number;
}

/** What a batch did for one cycle: whether the report applied and, if so, `serve_next`'s row and token. */
export interface CycleResult {
  readonly reported: boolean;
  readonly row: ServeNextRow | undefined;
  readonly token: string;
}

const texts = new Map<string, string>();

/**
 * The statement of `count` cycles, in order: a UNION ALL runs its branches one after the other (an
 * Append that is not parallel: `report_served` and `serve_next` must stay PARALLEL UNSAFE, the default), and
 * each branch's serve sees the writes of the reports and serves before it (a volatile function's
 * statements each take a new snapshot). OFFSET 0 keeps each subquery whole, so that the report's
 * result gates the serve's function scan (pulled up into the join, it would filter the serve's row
 * after `serve_next` ran) and the report runs once.
 */
function cycleStatement(s: string, count: number, reportArguments: number, serveArguments: number): string {
  const key = `${s}\u0000${count}\u0000${reportArguments}\u0000${serveArguments}`;
  let text = texts.get(key);
  if (text === undefined) {
    const per = reportArguments + serveArguments;
    text = Array.from({ length: count }, (_, k) => {
      const base = k * per + 1;
      const serve = placeholders(base + reportArguments, serveArguments);
      return `SELECT ${k}::int AS k, r.reported, n.* FROM (SELECT ${s}.report_served(${placeholders(base, reportArguments)}) AS reported OFFSET 0) r
        LEFT JOIN LATERAL (SELECT * FROM ${s}.serve_next($${base}, ${serve}) WHERE r.reported OFFSET 0) n ON true`;
    }).join('\nUNION ALL\n');
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
  let reportArguments = 0;
  let serveArgumentCount = 0;
  for (const { tx, job, atMs } of cycles) {
    const report = tx.servedReportValues(job, atMs);
    const serve = serveArguments(tx, atMs);
    reportArguments = report.length;
    serveArgumentCount = serve.values.length;
    values.push(...report, ...serve.values);
    tokens.push(serve.token);
  }
  const result = await first.tx.query<ServeNextRow & { k: number; reported: boolean }>(
    cycleStatement(first.tx.ctx.s, cycles.length, reportArguments, serveArgumentCount),
    values,
  );
  const rows = new Map(result.rows.map((row) => [row.k, row]));
  return cycles.map(({ tx, job }, k) => {
    const row = rows.get(k);
    const reported = tx.servedReportWritten(job, row?.reported === true);
    return { reported, row: reported ? row : undefined, token: tokens[k]! };
  });
}
