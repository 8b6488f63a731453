/**
 * Random policies, zones and instants for the property tests of the window math (spec sections 3 and
 * 12) against the brute-force oracle: intervals biased to the edges and to DST hours, every zone
 * spelling, instants near offset changes.
 */
import fc from 'fast-check';
import { transitionsOf } from './window-oracle.js';

/** Region zones with every kind of offset change: DST in both hemispheres, 30-minute DST, odd offsets, a midnight fall-back (Beirut). */
export const REGION_ZONES = [
  'America/New_York',
  'America/St_Johns',
  'America/Sao_Paulo',
  'America/Havana',
  'Europe/London',
  'Europe/Moscow',
  'Africa/Casablanca',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Australia/Sydney',
  'Pacific/Chatham',
  'Pacific/Apia',
  'America/Phoenix',
  'Asia/Beirut',
];
/** Fixed offsets in every spelling of spec section 4, seconds included. */
export const FIXED_ZONES = [
  'Z',
  '+05:30:15',
  '-03',
  'UTC+3',
  'GMT-05:00',
  '+0545',
  '-09:30',
  '+14',
  'UT-11:45:30',
];
export const FROM_MS = Date.parse('2024-01-01T00:00:00Z');
export const TO_MS = Date.parse('2031-01-01T00:00:00Z');
/** The offset changes of the region zones in FROM_MS..TO_MS. */
export const TRANSITIONS = REGION_ZONES.flatMap((zone) => transitionsOf(zone, FROM_MS, TO_MS));
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** Minutes of day, biased to the edges and to the hours DST changes touch. */
export const minuteArb = fc.oneof(
  fc.integer({ min: 0, max: 1439 }),
  fc.constantFrom(0, 30, 60, 90, 120, 150, 180, 1380, 1410, 1439),
  fc.integer({ min: 0, max: 47 }).map((h) => h * 30),
);

/** A list of non-overlapping intervals (on the 48-hour line), some overnight, some ending 24:00. */
export const intervalListArb = fc
  .array(
    fc
      .tuple(minuteArb, fc.oneof(minuteArb, fc.constant(1440)))
      .filter(([from, to]) => from !== to && from < 1440),
    { minLength: 1, maxLength: 4 },
  )
  .map((pairs) => {
    const kept: [number, number][] = [];
    for (const [from, to] of pairs) {
      const end = from < to ? to : to + 1440;
      if (kept.every(([f, t]) => from >= (f < t ? t : t + 1440) || end <= f)) kept.push([from, to]);
    }
    return kept.map(([from, to]) => ({ localTimeFrom: hhmm(from), localTimeTo: hhmm(to) }));
  });

export const allowedTimeArb = fc
  .uniqueArray(fc.constantFrom(...DAYS, 'default' as const), { minLength: 1, maxLength: 4 })
  .chain((keys) => fc.tuple(...keys.map((key) => intervalListArb.map((list) => [key, list] as const))))
  .map((entries) => Object.fromEntries(entries));

export const allowedDaysArb = fc.array(fc.constantFrom(...DAYS), { minLength: 1, maxLength: 8 });

export const zoneArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...REGION_ZONES) },
  fc.constantFrom(...FIXED_ZONES),
);

/** An instant in 2024..2030, half of them within three days of a DST change. */
export const instantArb = fc.oneof(
  fc.integer({ min: FROM_MS, max: TO_MS }),
  fc
    .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }))
    .map(([t, delta]) => t + delta),
  fc
    .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -180, max: 180 }))
    .map(([t, minutes]) => t + minutes * 60_000),
);

/** A date-time near an instant, written as epoch ms, ISO with Z, ISO with an offset, or local ISO. */
export function dateTimeArb(nearMs: number) {
  return fc
    .tuple(fc.integer({ min: -10 * 1440, max: 20 * 1440 }), fc.integer({ min: 0, max: 3 }))
    .map(([minutes, form]) => {
      const t = Math.floor(nearMs / 60_000) * 60_000 + minutes * 60_000;
      const iso = new Date(t).toISOString().slice(0, 16);
      switch (form) {
        case 0:
          return t;
        case 1:
          return `${iso}:00Z`;
        case 2:
          return `${new Date(t + 5.5 * 3600_000).toISOString().slice(0, 19)}+05:30`;
        default:
          return iso;
      }
    });
}

export function policyArb(nearMs: number) {
  return fc.record(
    {
      gmtZone: zoneArb,
      allowedDays: allowedDaysArb,
      allowedTime: allowedTimeArb,
      startDateTime: dateTimeArb(nearMs),
      finishDateTime: dateTimeArb(nearMs + 10 * 86_400_000),
    },
    { requiredKeys: [] },
  );
}
