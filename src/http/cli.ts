/**
 * The `dialer-scheduler` program: `serve` runs the HTTP service (spec section 14) and `campaign create`
 * makes a campaign and prints its token. The PostgreSQL backend is loaded only with `--database-url`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Campaign } from '../engine/campaign.js';
import { DialerError, formatIssues } from '../errors.js';
import { memoryCampaigns, readConfigFile, type ServiceConfig } from './config.js';
import { type CampaignDirectory, databaseDirectory, memoryDirectory, TOKEN_CACHE_MS } from './directory.js';
import { DEFAULT_LIMITS } from './limits.js';
import { serviceLogger } from './logging.js';
import { buildServer } from './server.js';
import { newToken, tokenSha256 } from './token.js';

const USAGE = `Usage:
  dialer-scheduler serve [--port 8080] [--host 127.0.0.1] [--database-url URL] [--config file.json]
                         [--pool-size 10] [--token-cache-ms 5000] [--log-level info]
  dialer-scheduler campaign create --name NAME [--options file.json] [--database-url URL]

serve        runs the Calls API over the campaigns of --config (in memory) or of the database of
             --database-url (PostgreSQL; campaigns made by 'campaign create'); the database URL may
             also be given in DIALER_DATABASE_URL; a token deleted from the database stops working
             at most --token-cache-ms later. SIGTERM or SIGINT stops it gracefully (a second one at
             once).
campaign create
             makes campaign NAME with the options of --options (new Campaign's data options) and
             prints its token. With --database-url the campaign and its token's SHA-256 are stored
             there; without, it prints the entry to add to the campaigns of a serve --config file.
`;

class UsageError extends Error {}

/** Runs the program with `argv` (without node and the script); resolves to the exit code, or stays running for `serve`. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === 'serve') return await serve(rest);
    if (command === 'campaign' && rest[0] === 'create') return await createCampaign(rest.slice(1));
    if (command === undefined || command === '--help' || command === '-h') {
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command ${JSON.stringify(argv.join(' '))}`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`dialer-scheduler: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof DialerError) {
      process.stderr.write(`dialer-scheduler: ${formatIssues(error.issues)}\n`);
      return 1;
    }
    process.stderr.write(`dialer-scheduler: ${(error as Error).message ?? String(error)}\n`);
    return 1;
  }
}

function integerOption(
  name: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new UsageError(`--${name} ${JSON.stringify(text)} is not an integer from ${min} to ${max}`);
  return value;
}

async function serve(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'database-url': { type: 'string' },
      config: { type: 'string' },
      'pool-size': { type: 'string' },
      'token-cache-ms': { type: 'string' },
      'log-level': { type: 'string' },
    },
    strict: true,
  });
  const databaseUrl = values['database-url'] ?? process.env.DIALER_DATABASE_URL;
  const config: ServiceConfig =
    values.config === undefined
      ? { limits: DEFAULT_LIMITS, logLevel: undefined, campaigns: [] }
      : readConfigFile(values.config);
  let directory: CampaignDirectory;
  if (databaseUrl !== undefined) {
    if (config.campaigns.length > 0)
      throw new UsageError(
        'with --database-url the campaigns are the database\'s: leave "campaigns" out of --config',
      );
    directory = await databaseDirectory({
      connectionString: databaseUrl,
      poolSize: integerOption('pool-size', values['pool-size'], 10, 1, 1000),
      tokenCacheMs: integerOption('token-cache-ms', values['token-cache-ms'], TOKEN_CACHE_MS, 0, 86_400_000),
    });
  } else {
    if (config.campaigns.length === 0)
      throw new UsageError('give --database-url, or --config with the campaigns to serve in memory');
    directory = memoryDirectory(memoryCampaigns(config.campaigns));
  }
  const logger = serviceLogger({ level: values['log-level'] ?? config.logLevel ?? 'info' });
  const app = await buildServer({ directory, limits: config.limits, logger });
  const stop = async (signal: string) => {
    logger.info({ signal }, 'stopping: finishing the requests in flight');
    try {
      // Stops accepting, answers the requests in flight, ends every connection (idle keep-alive ones
      // at once), then closes the directory (the database pool); nothing is left to keep the process.
      await app.close();
      logger.info('stopped');
    } catch (error) {
      logger.error({ err: error }, 'stopping failed');
      process.exitCode = 1;
    }
    logger.flush();
  };
  // Listened to once: a second signal ends the process at once (the default action), whatever is in flight.
  const onSignal = (signal: NodeJS.Signals) => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    void stop(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  await app.listen({
    port: integerOption('port', values.port, 8080, 0, 65535),
    host: values.host ?? '127.0.0.1',
  });
  logger.info({ backend: directory.backend, campaigns: config.campaigns.length }, 'serving');
  return 0;
}

async function createCampaign(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { name: { type: 'string' }, options: { type: 'string' }, 'database-url': { type: 'string' } },
    strict: true,
  });
  const name = values.name;
  if (name === undefined || name === '') throw new UsageError('campaign create needs --name');
  let options: Record<string, unknown> = {};
  if (values.options !== undefined) {
    try {
      options = JSON.parse(readFileSync(values.options, 'utf8'));
    } catch (error) {
      throw new UsageError(
        `--options ${JSON.stringify(values.options)} is not readable JSON: ${(error as Error).message}`,
      );
    }
  }
  // The options are checked as new Campaign checks them, whichever backend keeps the campaign.
  new Campaign(options);
  const token = newToken();
  const databaseUrl = values['database-url'] ?? process.env.DIALER_DATABASE_URL;
  if (databaseUrl === undefined) {
    process.stdout.write(`${token}\n`);
    const entry = { name, tokenSha256: tokenSha256(token).toString('hex'), options };
    process.stderr.write(
      `Add this to the "campaigns" of your serve --config file:\n${JSON.stringify(entry)}\n`,
    );
    return 0;
  }
  const { ServiceTables } = await import('../postgres/service-tables.js');
  const tables = await ServiceTables.open({ connectionString: databaseUrl, poolSize: 2 });
  try {
    const campaign = await tables.openCampaign(name, options);
    await campaign.close();
    if (!(await tables.setToken(name, tokenSha256(token))))
      throw new Error(`campaign ${JSON.stringify(name)} already has a token`);
  } finally {
    await tables.close();
  }
  process.stdout.write(`${token}\n`);
  return 0;
}
