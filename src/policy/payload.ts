import { quote } from '../errors.js';
import { eagerly, type IssueSink, isPlainObject, type LazyIssueSink } from './fields.js';
import type { JsonValue } from './types.js';

/** Deepest nesting of arrays and objects a payload may have (deeper ones would overflow the stack). */
export const MAX_PAYLOAD_DEPTH = 512;

/** The built-in `maxPayloadBytes`: 64 KiB. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 65_536;

/**
 * `payload`: a plain JSON value (objects, arrays, strings, finite numbers, booleans, null) of at most
 * `maxBytes` as UTF-8 JSON; the first problem found is reported with its path.
 *
 * Returns a deep copy, deeply frozen, built in the same walk that validates the value: what the caller
 * does to its object afterwards (a cycle, deep nesting, a function) cannot reach the campaign, and the
 * payload handed back in call tasks, job views and snapshots cannot be changed either (assigning to it
 * throws a TypeError in strict code). The copy is deep-equal to the input, not identical to it.
 * Getters are read once, here.
 */
export function parsePayload(value: unknown, maxBytes: number, sink: IssueSink): JsonValue | undefined {
  return parsePayloadLazily(value, maxBytes, eagerly(sink));
}

/** `parsePayload` with a lazy sink (the fast path and the entry schema use this one). */
export function parsePayloadLazily(
  value: unknown,
  maxBytes: number,
  sink: LazyIssueSink,
): JsonValue | undefined {
  const walk: Walk = { ancestors: [], problem: undefined };
  const copy = copyJson(value, walk);
  const problem = walk.problem;
  if (problem !== undefined) {
    sink(
      problem.path,
      'payload.bad.format',
      () =>
        `payload${pathText(problem.path)} ${problem.what}: expected plain JSON (objects, arrays, strings, finite numbers, booleans, null).`,
    );
    return undefined;
  }
  const json = JSON.stringify(copy);
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
  return copy as JsonValue;
}

/** State of one `copyJson` walk: the objects above the current value (cycles, depth), and the problem found. */
interface Walk {
  readonly ancestors: object[];
  problem: Problem | undefined;
}

/**
 * A frozen deep copy of `value` if it is plain JSON; else `undefined` with `walk.problem` set (its path
 * filled in on the way back up, so valid payloads build no paths). No valid part is `undefined`.
 */
function copyJson(value: unknown, walk: Walk): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value;
      walk.problem = { path: [], what: `is ${value}, not a finite number` };
      return undefined;
    case 'object': {
      if (value === null) return null;
      const { ancestors } = walk;
      if (ancestors.includes(value)) {
        walk.problem = { path: [], what: 'refers to itself (a cycle)' };
        return undefined;
      }
      if (ancestors.length >= MAX_PAYLOAD_DEPTH) {
        walk.problem = { path: [], what: `is nested deeper than ${MAX_PAYLOAD_DEPTH} levels` };
        return undefined;
      }
      let copy: unknown[] | Record<string, unknown>;
      ancestors.push(value);
      if (Array.isArray(value)) {
        const items: unknown[] = [];
        for (let i = 0; i < value.length; i++) {
          const item = copyJson(value[i], walk);
          if (item === undefined) {
            walk.problem!.path.unshift(i);
            ancestors.pop();
            return undefined;
          }
          items.push(item);
        }
        copy = items;
      } else if (isPlainObject(value)) {
        // The copy keeps a null prototype, so it stays strictly equal to the input.
        const record: Record<string, unknown> =
          Object.getPrototypeOf(value) === null ? Object.create(null) : {};
        for (const key of Object.keys(value)) {
          const item = copyJson(value[key], walk);
          if (item === undefined) {
            walk.problem!.path.unshift(key);
            ancestors.pop();
            return undefined;
          }
          // A `__proto__` key (JSON.parse makes one) must stay a field, not set the copy's prototype.
          if (key === '__proto__')
            Object.defineProperty(record, key, {
              value: item,
              writable: true,
              enumerable: true,
              configurable: true,
            });
          else record[key] = item;
        }
        copy = record;
      } else {
        ancestors.pop();
        const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
        walk.problem = { path: [], what: `is an instance of ${quote(name)}, not a plain object` };
        return undefined;
      }
      ancestors.pop();
      return Object.freeze(copy);
    }
    default:
      walk.problem = {
        path: [],
        what: `is ${typeof value === 'function' ? 'a function' : typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}`,
      };
      return undefined;
  }
}

interface Problem {
  /** Filled in on the way back up, so valid payloads build no paths. */
  readonly path: (string | number)[];
  readonly what: string;
}

function pathText(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
}
