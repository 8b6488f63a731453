import { writeFileSync } from 'node:fs';
import type { EntryInput, PolicyInput, TimeIntervalInput, Weekday } from '../index.js';
import { Random } from './random.js';
import { pickCalleeZone, type SyntheticZone, syntheticPhone } from './synthetic-zones.js';

/** What a synthetic campaign is made from. */
export interface SyntheticCampaignOptions {
  /** Entries in the body, duplicates included. At most 10^8. */
  readonly numbers: number;
  readonly seed: number;
  /** The instant the campaign starts (epoch ms): start and finish dates are drawn around it. */
  readonly startMs: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WORKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'];
const SEGMENTS = ['renewal', 'new', 'winback', 'survey', 'reminder'];
/** Priorities real bodies send that are not 1..5: replaced by 5 with a warning. */
const INVALID_PRIORITIES: readonly unknown[] = [0, 7, '2', 2.5, null, -1];
/** Share of entries without a `gmtZone`. */
const ZONELESS_SHARE = 0.15;

function interval(from: string, to: string): TimeIntervalInput {
  return { localTimeFrom: from, localTimeTo: to };
}

/**
 * The campaign defaults of a synthetic campaign: no zone (a number whose entry gives none takes the
 * zone of its phone number), Monday to Saturday, 09:00-20:00 (Saturday 10:00-16:00), 3 attempts an
 * hour apart, finishing 14 days after the start at 21:00 on each number's own wall clock.
 */
export function syntheticDefaults(startMs: number): PolicyInput {
  return {
    allowedDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
    allowedTime: { default: [interval('09:00', '20:00')], sat: [interval('10:00', '16:00')] },
    maxAttempts: 3,
    retryIntervalInMinutes: 60,
    finishDateTime: `${localDate(startMs + 14 * DAY_MS)}T21:00:00`,
  };
}

/**
 * A seeded synthetic addPhones body, entry by entry (so a million numbers need not sit in memory at
 * once): valid numbers across SYNTHETIC_CALLEE_ZONES, 15% of them without a `gmtZone`, calling policies mixed the way campaigns use them
 * (business hours, evenings, split days, overnight windows, per-day keys with `default`, allowedDays,
 * start and finish dates in every accepted form, priorities with a few invalid ones, attempts, retry
 * intervals), small payloads, about 3% exact duplicates of recent entries and 1% repeated phones with
 * another payload. The same options give the same entries.
 */
export function* syntheticEntries(options: SyntheticCampaignOptions): Generator<EntryInput> {
  const random = Random.derive(options.seed, 1);
  const lists = Array.from({ length: 12 }, () => leadList(random, options.startMs));
  const recent: EntryInput[] = [];
  for (let serial = 0; serial < options.numbers; serial++) {
    const roll = random.next();
    const earlier = recent.length > 0 ? random.pick(recent) : undefined;
    let entry: EntryInput;
    if (earlier !== undefined && roll < 0.03) {
      // An exact duplicate, as a list uploaded twice has: ignored by the campaign.
      entry = JSON.parse(JSON.stringify(earlier)) as EntryInput;
    } else if (earlier !== undefined && roll < 0.04) {
      // The same phone again with another payload: a second job for that number.
      entry = { ...earlier, payload: syntheticPayload(random, serial, random.pick(SEGMENTS)) };
    } else {
      entry = syntheticEntry(random, serial, random.pick(lists));
    }
    if (recent.length < 512) recent.push(entry);
    else recent[random.int(0, recent.length - 1)] = entry;
    yield entry;
  }
}

/** The whole synthetic body as an array. */
export function syntheticBody(options: SyntheticCampaignOptions): EntryInput[] {
  return [...syntheticEntries(options)];
}

/** Writes a synthetic body as a JSON file, one entry a line, without holding it in memory as text. */
export function writeSyntheticBody(path: string, options: SyntheticCampaignOptions): number {
  const chunks: string[] = [];
  let count = 0;
  writeFileSync(path, '[\n');
  for (const entry of syntheticEntries(options)) {
    chunks.push(`${count === 0 ? '' : ',\n'}${JSON.stringify(entry)}`);
    count++;
    if (chunks.length >= 10_000) writeFileSync(path, chunks.splice(0).join(''), { flag: 'a' });
  }
  writeFileSync(path, `${chunks.join('')}\n]\n`, { flag: 'a' });
  return count;
}

/**
 * A list of leads the campaign loads: entries of one list share start and finish dates, as a list
 * uploaded for one mailing or one season does. Local date-times are read in each number's zone.
 */
interface LeadList {
  readonly segment: string;
  readonly dates: Pick<PolicyInput, 'startDateTime' | 'finishDateTime'>;
}

function leadList(random: Random, startMs: number): LeadList {
  const dates: { startDateTime?: string | number; finishDateTime?: string | number } = {};
  let fromMs = startMs;
  if (random.chance(0.5)) {
    fromMs = startMs + random.int(-4, 8) * 6 * HOUR_MS;
    dates.startDateTime = dateTime(random, fromMs);
  }
  if (random.chance(0.5)) dates.finishDateTime = dateTime(random, fromMs + random.int(54, 150) * HOUR_MS);
  return { segment: random.pick(SEGMENTS), dates };
}

function syntheticEntry(random: Random, serial: number, list: LeadList): EntryInput {
  const callee: SyntheticZone = pickCalleeZone(random);
  const entry: { -readonly [K in keyof EntryInput]: EntryInput[K] } = {
    phone: syntheticPhone(random, callee, serial),
  };
  if (!random.chance(0.08)) entry.payload = syntheticPayload(random, serial, list.segment);
  // Some entries give no zone: the number's zone is taken from its digits.
  if (!random.chance(ZONELESS_SHARE)) entry.gmtZone = callee.gmtZone;
  Object.assign(entry, callingHours(random));
  if (!random.chance(0.2)) Object.assign(entry, list.dates);
  const priority = random.next();
  if (priority < 0.02) entry.dialerPriority = random.pick(INVALID_PRIORITIES) as number;
  else if (priority < 0.45)
    entry.dialerPriority = random.weighted([
      [1, 5],
      [2, 10],
      [3, 30],
      [4, 25],
      [5, 30],
    ]);
  const attempts = random.next();
  if (attempts < 0.1) entry.maxAttempts = 0;
  else if (attempts < 0.6) entry.maxAttempts = random.int(1, 6);
  if (random.chance(0.5)) entry.retryIntervalInMinutes = random.pick([10, 15, 30, 60, 120, 240]);
  return entry;
}

function syntheticPayload(random: Random, serial: number, segment: string): unknown {
  switch (random.int(0, 5)) {
    case 0:
      return `lead-${serial}`;
    case 1:
      return serial;
    default:
      return {
        customerId: `C${String(serial).padStart(8, '0')}`,
        name: random.pick(NAMES),
        segment,
        balance: random.int(0, 500_000) / 100,
      };
  }
}

/** Calling hours as campaigns set them: allowedDays and allowedTime, or nothing (the campaign's). */
function callingHours(random: Random): Pick<PolicyInput, 'allowedDays' | 'allowedTime'> {
  switch (
    random.weighted<string>([
      ['campaign', 22],
      ['business', 28],
      ['businessSaturday', 10],
      ['evening', 10],
      ['split', 8],
      ['overnight', 5],
      ['perDay', 8],
      ['weekend', 4],
      ['daysOnly', 5],
    ])
  ) {
    case 'business':
      return {
        allowedDays: WORKDAYS,
        allowedTime: {
          default: [
            interval(random.pick(['08:00', '09:00', '10:00']), random.pick(['17:00', '18:00', '20:00'])),
          ],
        },
      };
    case 'businessSaturday':
      return {
        allowedDays: [...WORKDAYS, 'sat'],
        allowedTime: { default: [interval('09:00', '19:00')], sat: [interval('10:00', '14:00')] },
      };
    case 'evening':
      return {
        allowedTime: {
          default: [interval(random.pick(['17:00', '18:00']), random.pick(['21:00', '22:00', '24:00']))],
        },
      };
    case 'split':
      return { allowedTime: { default: [interval('09:00', '12:30'), interval('14:00', '19:00')] } };
    case 'overnight':
      // Night-shift workers; the second shape's after-midnight part overlaps an early interval (allowed).
      return random.chance(0.5)
        ? {
            allowedTime: {
              default: [interval(random.pick(['20:00', '22:00']), random.pick(['02:00', '06:00']))],
            },
          }
        : {
            allowedDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'mon'],
            allowedTime: { default: [interval('20:00', '03:00'), interval('02:00', '05:00')] },
          };
    case 'perDay':
      return {
        allowedTime: {
          mon: [interval('12:00', '20:00')],
          fri: [interval('09:00', '15:00')],
          sat: [interval('10:00', '13:00'), interval('15:00', '17:30')],
          sun: [interval('12:00', '16:00')],
          default: [interval('09:00', '20:00')],
        },
      };
    case 'weekend':
      return { allowedDays: ['sat', 'sun'], allowedTime: { default: [interval('10:00', '18:00')] } };
    case 'daysOnly':
      return {
        allowedDays: random.pick([['mon', 'wed', 'fri'] as Weekday[], ['tue', 'thu', 'sat'] as Weekday[]]),
      };
    default:
      return {};
  }
}

/**
 * A date-time in one of the forms bodies use: ISO with `Z`, ISO with an offset, a local date-time at a
 * working hour (read in each number's zone, clear of DST gaps) and epoch ms. Finishes are drawn at
 * least 54 hours after starts, so the order holds whatever the zones and forms.
 */
function dateTime(random: Random, atMs: number): string | number {
  const hourMs = Math.floor(atMs / HOUR_MS) * HOUR_MS;
  switch (random.int(0, 3)) {
    case 0:
      return `${new Date(hourMs).toISOString().slice(0, 19)}Z`;
    case 1: {
      const offsetHours = random.pick([-5, -3, 1, 2, 5.5]);
      const local = new Date(hourMs + offsetHours * HOUR_MS).toISOString().slice(0, 19);
      const abs = Math.abs(offsetHours);
      return `${local}${offsetHours < 0 ? '-' : '+'}${String(Math.floor(abs)).padStart(2, '0')}:${abs % 1 === 0 ? '00' : '30'}`;
    }
    case 2:
      return `${localDate(atMs)}T${random.pick(['08:00', '09:00', '12:00', '18:00'])}:00`;
    default:
      return hourMs;
  }
}

/** `YYYY-MM-DD` of an instant in UTC. */
function localDate(atMs: number): string {
  return new Date(atMs).toISOString().slice(0, 10);
}
