import { DialerError, type Issue } from '../errors.js';
import { closestName } from '../policy/closest.js';
import { POLICY_FIELDS } from '../policy/schemas.js';

const NUMBER_FIELDS = new Set(['retryIntervalInMinutes', 'maxAttempts', 'dialerPriority']);
const JSON_FIELDS = new Set(['allowedTime', 'payload']);
const ENTRY_FIELDS: readonly string[] = ['phone', 'payload', ...POLICY_FIELDS];
/** Query parameters that are not entry fields. */
const CONTROL_PARAMETERS = new Set(['Idempotence-Key']);

/**
 * The addPhones entry of a `crmCalls` `addPhone` query string. The entry fields are read from their
 * parameters: numbers from their digits, `allowedDays` as a comma-separated list (or repeated),
 * `allowedTime` and `payload` as JSON text. As on the platform, the other parameters make the payload
 * (`?phone=16500000000&name=Alex` has the payload `{ "name": "Alex" }`) when no `payload` parameter is
 * given; a parameter that looks like a misspelt field (`allowedDay`) is `unknown.field`, never payload.
 * The entry is then validated by the campaign like any other.
 */
export function entryOfQuery(query: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const entry: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  const issues: Issue[] = [];
  for (const [name, raw] of Object.entries(query)) {
    if (CONTROL_PARAMETERS.has(name)) continue;
    if (!ENTRY_FIELDS.includes(name)) {
      const near = closestName(name, ENTRY_FIELDS);
      if (near !== undefined)
        issues.push({
          path: [name],
          code: 'unknown.field',
          message: `unknown field \`${name}\`; did you mean \`${near}\`?`,
        });
      else extra[name] = raw;
      continue;
    }
    entry[name] = fieldOf(name, raw, issues);
  }
  if (Object.keys(extra).length > 0) {
    if (entry.payload === undefined) entry.payload = extra;
    else
      for (const name of Object.keys(extra))
        issues.push({
          path: [name],
          code: 'unknown.field',
          message: `unknown field \`${name}\`: with a \`payload\` parameter, every other parameter must be an entry field.`,
        });
  }
  if (issues.length > 0) throw new DialerError(issues);
  return entry;
}

function fieldOf(name: string, raw: unknown, issues: Issue[]): unknown {
  if (typeof raw !== 'string') return raw;
  if (NUMBER_FIELDS.has(name)) return /^-?\d{1,15}$/.test(raw) ? Number(raw) : raw;
  if (name === 'allowedDays') return raw.startsWith('[') ? parsedJson(name, raw, issues) : raw.split(',');
  if (JSON_FIELDS.has(name)) return parsedJson(name, raw, issues);
  return raw;
}

function parsedJson(name: string, raw: string, issues: Issue[]): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    issues.push({
      path: [name],
      code:
        name === 'payload'
          ? 'payload.bad.format'
          : name === 'allowedTime'
            ? 'invalid.call.allowed.time'
            : 'invalid.allowed.days',
      message: `${name} is not valid JSON text: ${(error as Error).message}.`,
    });
    return undefined;
  }
}
