import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type BlockReason,
  type CallingRule,
  Campaign,
  explainCall,
  type JobExplanation,
  type PolicyInput,
  parseGmtZone,
  US_RULES,
} from '../index.js';
import { parsePhone } from '../policy/fields.js';
import { parseRules } from '../policy/parse-rules.js';
import { CampaignRules } from '../policy/phone-rules.js';
import { InputError, parse, UsageError } from './cli-errors.js';

export const EXPLAIN_USAGE = `usage: dialer-sim explain [options]
tell why an entry, or a job of a snapshot, is or is not callable at an instant

options:
  --entry <json|file>  an addPhones entry, as JSON text or a file holding it; the rules
                       that apply to its phone's place (appliesTo), every rule without a phone
  --snapshot <file>    a campaign snapshot (snapshot() output) ...
  --job <id>           ... and the ID of its job to explain, as the campaign's explain() does
  --at <iso>           the instant, with Z or an offset                  (default: now)
  --rules <set|file>   us (the built-in US_RULES), none, or a JSON file of rules (default us, as
                       for run; with --snapshot, the snapshot's own rules unless given)
  --defaults <file>    campaign defaults (JSON object); with --snapshot, the snapshot's
  --json               print the explanation as JSON on stdout
  -h, --help           this text

Each reason is printed with its layer, its code and when that layer next allows a call (until),
as ISO 8601 with the callee's offset; the exit code is 0 whether or not the call is allowed.`;

const EXPLAIN_OPTIONS = {
  entry: { type: 'string' },
  snapshot: { type: 'string' },
  job: { type: 'string' },
  at: { type: 'string' },
  rules: { type: 'string' },
  defaults: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** What `explain` prints: an entry's explanation (`explainCall`'s) or a job's (`Campaign.explain`'s), with the zone to print instants in. */
type Explained = {
  readonly what: string;
  readonly zone: string;
  readonly atMs: number;
  readonly callable: boolean;
  readonly nextAttemptAt: number | null;
  readonly state?: string;
  readonly reasons: readonly BlockReason<string>[];
};

/** `dialer-sim explain`: writes the explanation; resolves to the exit code. */
export function explainCommand(
  args: readonly string[],
  io: { readonly stdout: { write(text: string): unknown } },
  nowMs: () => number = Date.now,
): number {
  const { values } = parse('explain', () =>
    parseArgs({ args: [...args], options: EXPLAIN_OPTIONS, strict: true }),
  );
  if ((values.entry === undefined) === (values.snapshot === undefined))
    throw new UsageError('explain takes either --entry or --snapshot with --job');
  if ((values.snapshot === undefined) !== (values.job === undefined))
    throw new UsageError('--snapshot and --job go together');
  const atMs = values.at === undefined ? nowMs() : instantOf(values.at);
  const given = rulesOf(values.rules);
  const defaults =
    values.defaults === undefined ? undefined : (objectOf('--defaults', values.defaults) as PolicyInput);
  const explained =
    values.entry !== undefined
      ? explainEntry(objectOf('--entry', values.entry), atMs, defaults, given ?? US_RULES)
      : explainSnapshotJob(objectOf('--snapshot', values.snapshot!), values.job!, atMs, defaults, given);
  io.stdout.write(
    values.json === true ? `${JSON.stringify(explained, null, 2)}\n` : formatExplained(explained),
  );
  return 0;
}

function explainEntry(
  entry: Record<string, unknown>,
  atMs: number,
  defaults: PolicyInput | undefined,
  rules: readonly CallingRule[] | undefined,
): Explained {
  const { phone, payload: _payload, ...policy } = entry;
  let applying = rules;
  let what = 'the entry';
  if (phone !== undefined) {
    const digits = parsePhone(phone, () => {});
    if (digits === undefined)
      throw new InputError(`--entry phone ${JSON.stringify(phone)} is not a phone number`);
    what = `the entry for ${digits}`;
    if (rules !== undefined) {
      // The rules that apply to the phone's place, as a campaign applies them.
      const names = new Set(new CampaignRules(parseRules(rules)).forPhone(digits).names);
      applying = rules.filter((rule) => names.has(rule.name));
    }
  }
  const explanation = explainCall(policy as PolicyInput, atMs, {
    ...(defaults === undefined ? {} : { defaults }),
    ...(applying === undefined ? {} : { rules: applying }),
  });
  const zone = (policy.gmtZone ?? defaults?.gmtZone ?? 'Z') as string;
  return { what, zone, atMs, ...explanation };
}

function explainSnapshotJob(
  snapshot: unknown,
  jobId: string,
  atMs: number,
  defaults: PolicyInput | undefined,
  rules: readonly CallingRule[] | undefined,
): Explained {
  const campaign = Campaign.restore(snapshot, {
    ...(defaults === undefined ? {} : { defaults }),
    ...(rules === undefined ? {} : { rules }),
  });
  const view = campaign.job(jobId);
  const explanation: JobExplanation | undefined = campaign.explain(jobId, atMs);
  if (view === undefined || explanation === undefined)
    throw new InputError(`the snapshot has no job ${JSON.stringify(jobId)} (or it was forgotten)`);
  return {
    what: `job ${jobId} (${view.phone})`,
    zone: view.gmtZone,
    atMs: Math.max(atMs, campaign.latestMs),
    callable: explanation.callable,
    nextAttemptAt: explanation.nextAttemptAt,
    state: explanation.state,
    reasons: explanation.reasons,
  };
}

/** The text of an explanation: a line for the verdict, then one per reason. */
function formatExplained(e: Explained): string {
  const local = (ms: number | null) => (ms === null ? 'never' : localIso(e.zone, ms));
  const state = e.state === undefined ? '' : ` (${e.state})`;
  const verdict = e.callable
    ? 'callable'
    : `not callable; next allowed ${e.nextAttemptAt === null ? 'never' : local(e.nextAttemptAt)}`;
  let text = `${e.what}${state} at ${local(e.atMs)} (${e.zone}): ${verdict}\n`;
  for (const reason of e.reasons) {
    text += `  ${reason.layer}  ${reason.code}  until ${local(reason.untilMs)}\n    ${reason.message}\n`;
  }
  return text;
}

/** An instant as ISO 8601 with the zone's offset then, to the second. */
function localIso(zone: string, atMs: number): string {
  const offsetSeconds = parseGmtZone(zone).offsetSecondsAt(atMs);
  const local = new Date(atMs + offsetSeconds * 1000).toISOString().slice(0, 19);
  const abs = Math.abs(offsetSeconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = `${offsetSeconds < 0 ? '-' : '+'}${pad(Math.floor(abs / 3600))}:${pad(Math.floor(abs / 60) % 60)}`;
  return `${local}${abs % 60 === 0 ? offset : `${offset}:${pad(abs % 60)}`}`;
}

function instantOf(text: string): number {
  const value = Date.parse(text);
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ||
    Number.isNaN(value)
  )
    throw new UsageError(
      `--at must be an ISO 8601 instant with Z or an offset, such as 2026-12-01T20:30:00-05:00, got ${JSON.stringify(text)}`,
    );
  return value;
}

/** The `--rules` given: `undefined` when not given, `[]` for `none`. */
function rulesOf(text: string | undefined): readonly CallingRule[] | undefined {
  if (text === undefined) return undefined;
  if (text === 'none') return [];
  if (text === 'us') return US_RULES;
  const value = jsonOf('--rules', text);
  if (!Array.isArray(value))
    throw new InputError(`--rules file ${JSON.stringify(text)} does not hold a JSON array of rules`);
  return value as CallingRule[];
}

function objectOf(flag: string, text: string): Record<string, unknown> {
  const value = jsonOf(flag, text);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InputError(`${flag} ${JSON.stringify(text)} does not hold a JSON object`);
  return value as Record<string, unknown>;
}

/** JSON text given inline (starting with `{` or `[`), else read from the file of that name. */
function jsonOf(flag: string, text: string): unknown {
  const inline = /^\s*[{[]/.test(text);
  let source = text;
  if (!inline) {
    if (!existsSync(text))
      throw new InputError(`cannot read ${flag} file ${JSON.stringify(text)}: no such file`);
    try {
      source = readFileSync(text, 'utf8');
    } catch (error) {
      throw new InputError(`cannot read ${flag} file ${JSON.stringify(text)}: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new InputError(
      `${flag} ${inline ? 'text' : `file ${JSON.stringify(text)}`} is not JSON: ${(error as Error).message}`,
    );
  }
}
