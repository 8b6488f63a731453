import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CallLogWriter } from './call-log.js';
import { InputError, UsageError } from './cli-errors.js';

/** The command line's values read and checked, each failure a `UsageError` or `InputError` naming the flag. */

/** `--start` when not given. */
export const DEFAULT_START = '2024-03-09T00:00:00Z';

export function integer(
  flag: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  const value = /^\d+$/.test(text.replaceAll('_', '')) ? Number(text.replaceAll('_', '')) : Number.NaN;
  if (!(Number.isSafeInteger(value) && value >= min && value <= max)) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

export function decimal(
  flag: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new UsageError(
      `${flag} must be a number of days above 0 and at most ${max}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

export function instant(flag: string, text: string | undefined): number {
  const value = Date.parse(text ?? DEFAULT_START);
  if (
    text !== undefined &&
    (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(value))
  ) {
    throw new UsageError(
      `${flag} must be an ISO 8601 instant with Z or an offset, such as ${DEFAULT_START}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/** `url` with its password hidden, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

export function readJson(flag: string, path: string, kind: 'array' | 'object'): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new InputError(`cannot read ${flag} file ${JSON.stringify(path)}: ${why}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${flag} file ${JSON.stringify(path)} is not JSON: ${(error as Error).message}`);
  }
  const isArray = Array.isArray(value);
  const fits = kind === 'array' ? isArray : typeof value === 'object' && value !== null && !isArray;
  if (!fits) {
    const expected =
      kind === 'array'
        ? 'an addPhones body: a JSON array of entries'
        : 'campaign defaults: a JSON object of policy fields';
    throw new InputError(
      `${flag} file ${JSON.stringify(path)} holds ${isArray ? 'an array' : value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`}: expected ${expected}`,
    );
  }
  return value;
}

export function openLog(path: string): CallLogWriter {
  try {
    return new CallLogWriter(path);
  } catch (error) {
    throw new InputError(`cannot write --log file ${JSON.stringify(path)}: ${(error as Error).message}`);
  }
}

/**
 * Throws an InputError naming the reason when a file cannot be written at `path`: its directory is
 * missing, not a directory or not writable, or the path is a directory or a read-only file. Nothing is
 * created; a file that exists is left as it is.
 */
export function checkWritable(flag: string, path: string): void {
  const fail = (why: string) => {
    throw new InputError(`cannot write ${flag} file ${JSON.stringify(path)}: ${why}`);
  };
  const dir = dirname(resolve(path));
  const dirStat = statSync(dir, { throwIfNoEntry: false });
  if (dirStat === undefined) fail(`the directory ${JSON.stringify(dir)} does not exist`);
  else if (!dirStat.isDirectory()) fail(`${JSON.stringify(dir)} is not a directory`);
  const fileStat = statSync(path, { throwIfNoEntry: false });
  if (fileStat?.isDirectory()) fail('it is a directory');
  try {
    accessSync(fileStat === undefined ? dir : path, constants.W_OK);
  } catch {
    fail(fileStat === undefined ? `the directory ${JSON.stringify(dir)} is not writable` : 'it is read-only');
  }
}

export function writeFile(flag: string, path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new InputError(`cannot write ${flag} file ${JSON.stringify(path)}: ${(error as Error).message}`);
  }
}
