import { readFileSync } from 'node:fs';
import { asyncCampaign } from '../engine/async-campaign.js';
import { Campaign } from '../engine/campaign.js';
import { DialerError, type Issue, quote } from '../errors.js';
import { unknownKeyMessage } from '../policy/closest.js';
import type { MemoryCampaignEntry } from './directory.js';
import { type Limits, readLimits } from './limits.js';
import { tokenSha256 } from './token.js';

/** The configuration file of `dialer-scheduler serve --config`: limits, log level, and (in memory mode) the campaigns. */
export interface ServiceConfig {
  readonly limits: Limits;
  readonly logLevel: string | undefined;
  /** The campaigns of the in-memory mode, as given (each is built by {@link memoryCampaigns}). */
  readonly campaigns: readonly CampaignConfig[];
}

/** One campaign of the in-memory mode: its name, its token (or the token's SHA-256, hex) and its options (`new Campaign`'s data options). */
export interface CampaignConfig {
  readonly name: string;
  readonly tokenSha256: Buffer;
  readonly options: Record<string, unknown>;
}

const TOP_KEYS = ['campaigns', 'limits', 'logLevel'];
const CAMPAIGN_KEYS = ['name', 'token', 'tokenSha256', 'options'];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const issue = (path: (string | number)[], message: string): Issue => ({
  path,
  code: 'invalid.option',
  message,
});

/** Reads and checks a configuration file; every problem is an `invalid.option` issue naming its place. */
export function readConfigFile(file: string): ServiceConfig {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DialerError([
      issue([], `the configuration file ${quote(file)} is not readable JSON: ${(error as Error).message}`),
    ]);
  }
  return readConfig(data);
}

/** Checks a configuration object (see {@link readConfigFile}). */
export function readConfig(data: unknown): ServiceConfig {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new DialerError([
      issue([], `the configuration ${quote(data)} is not an object with campaigns, limits, logLevel`),
    ]);
  const o = data as Record<string, unknown>;
  const issues: Issue[] = [];
  for (const key of Object.keys(o))
    if (!TOP_KEYS.includes(key)) issues.push(issue([key], unknownKeyMessage('key', key, TOP_KEYS)));
  if (o.logLevel !== undefined && !LOG_LEVELS.includes(o.logLevel as string))
    issues.push(
      issue(
        ['logLevel'],
        `logLevel ${quote(o.logLevel)} is not valid: expected one of ${LOG_LEVELS.join(', ')}`,
      ),
    );
  const campaigns: CampaignConfig[] = [];
  const list = o.campaigns ?? [];
  if (!Array.isArray(list)) issues.push(issue(['campaigns'], `campaigns ${quote(list)} is not an array`));
  else
    list.forEach((item, i) => {
      const found = readCampaign(item, i, issues);
      if (found !== undefined) campaigns.push(found);
    });
  const names = new Set<string>();
  const digests = new Set<string>();
  campaigns.forEach((campaign, i) => {
    if (names.has(campaign.name))
      issues.push(issue(['campaigns', i, 'name'], `campaign name ${quote(campaign.name)} is given twice`));
    const hex = campaign.tokenSha256.toString('hex');
    if (digests.has(hex))
      issues.push(
        issue(
          ['campaigns', i, 'token'],
          `campaign ${quote(campaign.name)} has the token of another campaign`,
        ),
      );
    names.add(campaign.name);
    digests.add(hex);
  });
  let limits: Limits | undefined;
  try {
    limits = readLimits(o.limits);
  } catch (error) {
    if (!(error instanceof DialerError)) throw error;
    issues.push(...error.issues);
  }
  if (issues.length > 0) throw new DialerError(issues);
  return { limits: limits!, logLevel: o.logLevel as string | undefined, campaigns };
}

function readCampaign(item: unknown, i: number, issues: Issue[]): CampaignConfig | undefined {
  const at = ['campaigns', i];
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    issues.push(
      issue(at, `campaigns[${i}] ${quote(item)} is not an object with name, token or tokenSha256, options`),
    );
    return undefined;
  }
  const c = item as Record<string, unknown>;
  const before = issues.length;
  for (const key of Object.keys(c))
    if (!CAMPAIGN_KEYS.includes(key))
      issues.push(issue([...at, key], unknownKeyMessage('key', key, CAMPAIGN_KEYS)));
  if (typeof c.name !== 'string' || c.name.length === 0 || c.name.length > 200)
    issues.push(
      issue([...at, 'name'], `campaigns[${i}].name ${quote(c.name)} is not a name of 1 to 200 characters`),
    );
  if ((c.token === undefined) === (c.tokenSha256 === undefined))
    issues.push(
      issue([...at, 'token'], `campaigns[${i}] needs a token or its tokenSha256 (64 hex digits), not both`),
    );
  else if (
    c.token !== undefined &&
    (typeof c.token !== 'string' || c.token.length < 22 || c.token.length > 256)
  )
    issues.push(
      issue(
        [...at, 'token'],
        `campaigns[${i}].token is not valid: expected 22 to 256 characters (128 bits or more of randomness)`,
      ),
    );
  else if (
    c.tokenSha256 !== undefined &&
    !(typeof c.tokenSha256 === 'string' && /^[0-9a-f]{64}$/.test(c.tokenSha256))
  )
    issues.push(
      issue(
        [...at, 'tokenSha256'],
        `campaigns[${i}].tokenSha256 ${quote(c.tokenSha256)} is not 64 lowercase hex digits`,
      ),
    );
  const options = c.options ?? {};
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    issues.push(
      issue(
        [...at, 'options'],
        `campaigns[${i}].options ${quote(options)} is not an object of campaign options`,
      ),
    );
  if (issues.length > before) return undefined;
  return {
    name: c.name as string,
    tokenSha256:
      c.token !== undefined ? tokenSha256(c.token as string) : Buffer.from(c.tokenSha256 as string, 'hex'),
    options: options as Record<string, unknown>,
  };
}

/** The in-memory campaigns of a configuration, each built by `new Campaign(options)` (whose errors name the campaign). */
export function memoryCampaigns(campaigns: readonly CampaignConfig[]): MemoryCampaignEntry[] {
  return campaigns.map((config, i) => {
    try {
      return {
        name: config.name,
        tokenSha256: config.tokenSha256,
        campaign: asyncCampaign(new Campaign(config.options)),
      };
    } catch (error) {
      if (!(error instanceof DialerError)) throw error;
      throw new DialerError(
        error.issues.map((found) => ({ ...found, path: ['campaigns', i, 'options', ...found.path] })),
      );
    }
  });
}
