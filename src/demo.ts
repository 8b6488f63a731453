import { nextCallWindow } from './index.js';

/** A short demonstration of the window math: the next calling windows of a few numbers around DST changes. */
const policies = [
  {
    gmtZone: 'America/New_York',
    allowedTime: { default: [{ localTimeFrom: '02:30', localTimeTo: '04:00' }] },
  },
  {
    gmtZone: 'America/New_York',
    allowedTime: { default: [{ localTimeFrom: '01:00', localTimeTo: '02:00' }] },
  },
  {
    gmtZone: 'Australia/Lord_Howe',
    allowedDays: ['sun' as const],
    allowedTime: { default: [{ localTimeFrom: '20:00', localTimeTo: '03:00' }] },
  },
  { gmtZone: '+05:30:15', allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '24:00' }] } },
];
const instants = [
  '2024-03-10T00:00:00Z',
  '2024-11-03T00:00:00Z',
  '2024-04-06T00:00:00Z',
  '2024-06-01T00:00:00Z',
];
for (const [i, policy] of policies.entries()) {
  const fromMs = Date.parse(instants[i]!);
  const window = nextCallWindow(policy, fromMs);
  const show = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms));
  console.log(
    `${JSON.stringify(policy)}\n  from ${instants[i]}: ${window ? `${show(window.start)} .. ${show(window.end)}` : 'none'}`,
  );
}
