/** A mistake in the command line: exit code 2. */
export class UsageError extends Error {}
/** A file or body the command cannot use: exit code 1. */
export class InputError extends Error {}

/** Runs parseArgs, turning its errors into usage errors that name the command. */
export function parse<T>(command: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown !== null) throw new UsageError(`unknown option ${unknown[1]} for \`${command}\``);
    const missing = /Option '(?:-\w, )?(--[\w-]+)(?: <value>)?' argument missing/.exec(message);
    if (missing !== null) throw new UsageError(`option ${missing[1]} of \`${command}\` needs a value`);
    const ambiguous = /Option '(--[\w-]+)' argument is ambiguous/.exec(message);
    if (ambiguous !== null) {
      throw new UsageError(
        `option ${ambiguous[1]} of \`${command}\` needs a value; write ${ambiguous[1]}=-… for one that starts with -`,
      );
    }
    const positional = /Unexpected argument '([^']+)'/.exec(message);
    if (positional !== null) {
      throw new UsageError(`unexpected argument ${JSON.stringify(positional[1])} for \`${command}\``);
    }
    throw new UsageError(message);
  }
}
