import {
  Campaign,
  type CampaignEvent,
  type CampaignEventType,
  type CampaignOptions,
  type CampaignStats,
  DialerError,
  JOB_STATES,
} from '../../src/index.js';

/** An instant pinned as an ISO string. */
export const at = (iso: string): number => Date.parse(iso);

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** An `allowedTime.default` of one interval. */
export const daily = (localTimeFrom: string, localTimeTo: string) => ({
  default: [{ localTimeFrom, localTimeTo }],
});

export const EVENT_TYPES: readonly CampaignEventType[] = [
  'added',
  'dialing',
  'retry',
  'completed',
  'exhausted',
  'expired',
  'cancelled',
  'redialed',
  'leaseExpired',
  'warning',
];

/** Records every event of a campaign (a `Campaign` or an `AsyncCampaign`), in order. */
export function record(
  campaign: Pick<Campaign, 'on'>,
  types: readonly CampaignEventType[] = EVENT_TYPES,
): CampaignEvent[] {
  const events: CampaignEvent[] = [];
  for (const type of types) campaign.on(type, (event) => events.push(event));
  return events;
}

/** `error` itself when it is a DialerError; anything else is thrown again, failing the test. */
export function dialerErrorOf(error: unknown): DialerError {
  if (error instanceof DialerError) return error;
  throw error;
}

/** The DialerError a call throws, failing the test when it throws nothing or something else. */
export function thrown(call: () => unknown): DialerError {
  try {
    call();
  } catch (error) {
    return dialerErrorOf(error);
  }
  throw new Error('expected a DialerError, but the call returned');
}

/** The clock of test campaigns: there is no real clock, so a call without `now` fails the test. */
export const forgotNow = (): number => {
  throw new Error('the test forgot to pass `now`');
};

/** A campaign with test-friendly options (no real clock: a call without `now` fails the test). */
export function campaignOf(options: CampaignOptions = {}): Campaign {
  return new Campaign({ clock: forgotNow, ...options });
}

/** The sum of a `stats()` over every state (it must equal `total`). */
export const sumOfStates = (stats: CampaignStats): number =>
  JOB_STATES.reduce((sum, state) => sum + stats[state], 0);
