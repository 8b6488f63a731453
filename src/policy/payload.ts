import { quote } from '../errors.js';
import type { IssueSink } from './fields.js';
import { isPlainObject } from './fields.js';
import type { JsonValue } from './types.js';

/** Deepest nesting of arrays and objects a payload may have (deeper ones would overflow the stack). */
export const MAX_PAYLOAD_DEPTH = 512;

/** The built-in `maxPayloadBytes`: 64 KiB. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 65_536;

/**
 * `payload`: a plain JSON value (objects, arrays, strings, finite numbers, booleans, null) of at most
 * `maxBytes` as UTF-8 JSON. Returned unchanged; the first problem found is reported with its path.
 */
export function parsePayload(value: unknown, maxBytes: number, sink: IssueSink): JsonValue | undefined {
  const problem = findNonJson(value, []);
  if (problem !== undefined) {
    sink(
      problem.path,
      'payload.bad.format',
      () =>
        `payload${pathText(problem.path)} ${problem.what}: expected plain JSON (objects, arrays, strings, finite numbers, booleans, null).`,
    );
    return undefined;
  }
  const json = JSON.stringify(value);
  // UTF-8 takes at most three bytes per UTF-16 unit: count exactly only when it could matter.
  const bytes = json.length * 3 <= maxBytes ? json.length : Buffer.byteLength(json, 'utf8');
  if (bytes > maxBytes) {
    sink(
      [],
      'payload.bad.format',
      () => `payload is ${bytes} bytes as JSON: expected at most ${maxBytes} bytes (maxPayloadBytes).`,
    );
    return undefined;
  }
  return value as JsonValue;
}

interface Problem {
  /** Filled in on the way back up, so valid payloads build no paths. */
  readonly path: (string | number)[];
  readonly what: string;
}

/** The first non-JSON part of `value`; `ancestors` holds the objects above it (cycles, depth). */
function findNonJson(value: unknown, ancestors: object[]): Problem | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { path: [], what: `is ${value}, not a finite number` };
    case 'object': {
      if (value === null) return undefined;
      if (ancestors.includes(value)) return { path: [], what: 'refers to itself (a cycle)' };
      if (ancestors.length >= MAX_PAYLOAD_DEPTH)
        return { path: [], what: `is nested deeper than ${MAX_PAYLOAD_DEPTH} levels` };
      const isArray = Array.isArray(value);
      if (!isArray && !isPlainObject(value)) {
        const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
        return { path: [], what: `is an instance of ${quote(name)}, not a plain object` };
      }
      ancestors.push(value);
      let found: Problem | undefined;
      if (isArray) {
        for (let i = 0; i < value.length && found === undefined; i++) {
          found = findNonJson(value[i], ancestors);
          if (found !== undefined) found.path.unshift(i);
        }
      } else {
        const record = value as Record<string, unknown>;
        for (const key of Object.keys(record)) {
          found = findNonJson(record[key], ancestors);
          if (found !== undefined) {
            found.path.unshift(key);
            break;
          }
        }
      }
      ancestors.pop();
      return found;
    }
    default:
      return {
        path: [],
        what: `is ${typeof value === 'function' ? 'a function' : typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}`,
      };
  }
}

function pathText(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
}
