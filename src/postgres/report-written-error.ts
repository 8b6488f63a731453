import type { CallTask } from '../engine/types.js';

/**
 * The failure of `completeAndNext` / `failAndNext` after its report was written: the serve, run on
 * its own after the report committed, failed (the server went away between them, say), or, when the
 * report and the serve shared a statement, a listener threw on the call's events. The report stands:
 * the call is not to be made again, but `next` may be. `cause` is the failure and `code` its code,
 * when it has one; `task` the task the call served, when a listener failed after the shared
 * statement leased it (dial it, or leave it to its lease). On the two calls' path a listener's failure
 * on the report's events rejects with it, as `complete` does.
 */
export class ReportWrittenError extends Error {
  readonly reportWritten = true;
  readonly code: string | undefined;
  readonly task: CallTask | undefined;

  constructor(cause: unknown, task?: CallTask) {
    super(`the report was written, then the call failed: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
    });
    this.name = 'ReportWrittenError';
    const code = (cause as { code?: unknown } | undefined)?.code;
    this.code = typeof code === 'string' ? code : undefined;
    this.task = task;
  }
}
