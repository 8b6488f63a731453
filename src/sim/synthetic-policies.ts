import type { PolicyInput, TimeIntervalInput, Weekday } from '../policy/types.js';
import type { Random } from './random.js';

/**
 * Zones of synthetic numbers with rough weights, written the ways real bodies write them: IANA IDs and
 * the offset forms of spec section 4.
 */
export const SYNTHETIC_ZONES: readonly (readonly [string, number])[] = [
  ['America/New_York', 14],
  ['America/Chicago', 9],
  ['America/Denver', 4],
  ['America/Phoenix', 3],
  ['America/Los_Angeles', 10],
  ['Pacific/Honolulu', 1],
  ['America/Anchorage', 1],
  ['America/Toronto', 3],
  ['America/St_Johns', 1],
  ['America/Mexico_City', 3],
  ['America/Sao_Paulo', 3],
  ['Europe/London', 5],
  ['Europe/Berlin', 4],
  ['Europe/Madrid', 2],
  ['Europe/Moscow', 3],
  ['Asia/Kolkata', 4],
  ['Asia/Calcutta', 1],
  ['Asia/Kathmandu', 1],
  ['Australia/Sydney', 2],
  ['Australia/Lord_Howe', 1],
  ['Pacific/Auckland', 1],
  ['Pacific/Chatham', 1],
  ['US/Eastern', 1],
  ['-05:00', 2],
  ['+03', 1],
  ['+0530', 1],
  ['GMT-5', 1],
  ['UTC+3', 1],
  ['Z', 1],
  ['+05:45', 1],
];

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function interval(from: string, to: string): TimeIntervalInput {
  return { localTimeFrom: from, localTimeTo: to };
}

/** Calling-hour shapes campaigns use, as allowedDays/allowedTime pairs. */
function hoursShape(random: Random): Pick<PolicyInput, 'allowedDays' | 'allowedTime'> {
  switch (
    random.weighted<string>([
      ['business', 5],
      ['evening', 2],
      ['split', 2],
      ['overnight', 1],
      ['perDay', 2],
      ['weekend', 1],
      ['any', 1],
    ])
  ) {
    case 'business':
      return {
        allowedDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
        allowedTime: {
          default: [
            interval(random.pick(['08:00', '09:00', '10:00']), random.pick(['17:00', '18:00', '20:00'])),
          ],
        },
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
      return {
        allowedTime: {
          default: [interval(random.pick(['20:00', '22:00']), random.pick(['02:00', '06:00']))],
        },
      };
    case 'perDay':
      return {
        allowedTime: {
          sat: [interval('10:00', '14:00')],
          sun: [interval('12:00', '16:00')],
          default: [interval('09:00', '20:00')],
        },
      };
    case 'weekend':
      return { allowedDays: ['sat', 'sun'], allowedTime: { default: [interval('10:00', '18:00')] } };
    default:
      return {};
  }
}

/**
 * A synthetic calling policy: a zone from SYNTHETIC_ZONES, a calling-hours shape, sometimes start and
 * finish dates around `nearMs`, a priority, attempts and a retry interval.
 */
export function syntheticPolicy(random: Random, nearMs: number): PolicyInput {
  const policy: { -readonly [K in keyof PolicyInput]: PolicyInput[K] } = {
    gmtZone: random.weighted(SYNTHETIC_ZONES),
    ...hoursShape(random),
  };
  if (random.chance(0.1)) policy.allowedDays = WEEKDAYS.filter(() => random.chance(0.6)).concat('wed');
  if (random.chance(0.3))
    policy.startDateTime = new Date(nearMs + random.int(-2, 5) * 86_400_000).toISOString();
  if (random.chance(0.3)) {
    policy.finishDateTime = new Date(nearMs + random.int(6, 30) * 86_400_000).toISOString().slice(0, 16);
  }
  if (random.chance(0.7)) policy.dialerPriority = random.int(1, 5);
  if (random.chance(0.5)) policy.maxAttempts = random.int(1, 6);
  if (random.chance(0.5)) policy.retryIntervalInMinutes = random.pick([15, 30, 60, 120, 240]);
  return policy;
}
