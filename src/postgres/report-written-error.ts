/**
 * The failure of `completeAndNext` / `failAndNext` after its report was written: the serve, run on
 * its own after the report committed, failed (the server went away between them, say), or a
 * listener threw on the call's events. The report stands: the call is not to be made again, but
 * `next` may be. `cause` is the failure and `code` its code, when it has one.
 */
export class ReportWrittenError extends Error {
  readonly reportWritten = true;
  readonly code: string | undefined;

  constructor(cause: unknown) {
    super(`the report was written, then the call failed: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
    });
    this.name = 'ReportWrittenError';
    const code = (cause as { code?: unknown } | undefined)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}
