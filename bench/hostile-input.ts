import { Campaign } from '../src/index.js';

/** Costs of inputs that used to be pathological, each against a baseline in the same run. */
export interface HostileInputFigures {
  /** Entries of one phone with distinct payloads, added in one body. */
  readonly onePhoneEntries: number;
  readonly onePhoneSeconds: number;
  /** Baseline: the same count of entries, each of its own phone. */
  readonly distinctPhonesSeconds: number;
  /** Waiting jobs with a daily window, then one call ten years later. */
  readonly jumpJobs: number;
  readonly jumpSeconds: number;
  /** Baseline: the same campaign moved on by one day. */
  readonly oneDaySeconds: number;
  /** Ten jobs, then a `now` passed in microseconds (year 56,000 or so). */
  readonly microsecondNowSeconds: number;
}

const START_MS = Date.parse('2025-06-02T12:00:00Z');
const DAY_MS = 86_400_000;

function seconds(run: () => void): number {
  const t0 = performance.now();
  run();
  return (performance.now() - t0) / 1000;
}

function addOnePhone(count: number, samePhone: boolean): number {
  const campaign = new Campaign();
  const body = Array.from({ length: count }, (_, k) => ({
    phone: samePhone ? '+1 212 555 0100' : String(12_125_550_000 + k),
    payload: { lead: k, tags: ['a', 'b'], note: `lead ${k}` },
  }));
  return seconds(() => campaign.addPhones(body, { now: START_MS }));
}

function waitingCampaign(jobs: number): Campaign {
  const campaign = new Campaign({
    defaults: {
      gmtZone: 'America/New_York',
      allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '17:00' }] },
    },
  });
  const body = Array.from({ length: jobs }, (_, k) => ({ phone: String(12_125_550_000 + k) }));
  campaign.addPhones(body, { now: START_MS });
  return campaign;
}

/**
 * The duplicate check for one phone with many distinct payloads (index by key: linear, not
 * quadratic), a ten-year jump of many waiting jobs (each jumps to its window at the new instant), and a
 * `now` in microseconds by mistake.
 */
export function benchHostileInput(onePhoneEntries = 20_000, jumpJobs = 10_000): HostileInputFigures {
  const onePhoneSeconds = addOnePhone(onePhoneEntries, true);
  const distinctPhonesSeconds = addOnePhone(onePhoneEntries, false);
  const jumping = waitingCampaign(jumpJobs);
  const jumpSeconds = seconds(() => jumping.nextReadyAt(START_MS + 3652 * DAY_MS));
  const stepping = waitingCampaign(jumpJobs);
  const oneDaySeconds = seconds(() => stepping.nextReadyAt(START_MS + DAY_MS));
  const micro = waitingCampaign(10);
  const microsecondNowSeconds = seconds(() => micro.nextReadyAt(START_MS * 1000));
  return {
    onePhoneEntries,
    onePhoneSeconds,
    distinctPhonesSeconds,
    jumpJobs,
    jumpSeconds,
    oneDaySeconds,
    microsecondNowSeconds,
  };
}
