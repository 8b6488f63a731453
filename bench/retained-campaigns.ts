import { Campaign } from '../src/index.js';
import { memoryAfterGc } from './heap.js';

/**
 * Heap retained by 20,000 short-lived campaigns, each with a few distinct policies of its own (a
 * start date unique to the campaign), once every campaign is unreachable:
 * `node --expose-gc --import tsx bench/retained-campaigns.ts`.
 */
const CAMPAIGNS = Number(process.argv[2] ?? 20_000);
const NOW_MS = Date.parse('2025-06-02T12:00:00Z');

function shortLivedCampaign(i: number): void {
  const campaign = new Campaign({ defaults: { gmtZone: 'America/New_York' } });
  const startDateTime = NOW_MS + i * 60_000;
  campaign.addPhones(
    [
      { phone: '16500000001', startDateTime },
      { phone: '16500000002', startDateTime, allowedDays: ['mon', 'tue', 'wed'] },
      {
        phone: '16500000003',
        startDateTime,
        allowedTime: {
          default: [{ localTimeFrom: '09:00', localTimeTo: `1${i % 10}:${String(i % 60).padStart(2, '0')}` }],
        },
      },
      { phone: '16500000004', startDateTime, gmtZone: 'Europe/London' },
    ],
    { now: NOW_MS },
  );
  campaign.next(NOW_MS + 86_400_000);
}

// Warm up the code paths and the zone tables once, so that only caches grow afterwards.
shortLivedCampaign(CAMPAIGNS);
const before = memoryAfterGc().heapUsed;
for (let i = 0; i < CAMPAIGNS; i++) shortLivedCampaign(i);
const after = memoryAfterGc().heapUsed;
console.log(
  `${CAMPAIGNS} short-lived campaigns: retained ${((after - before) / 1e6).toFixed(2)} MB (heapUsed ${(before / 1e6).toFixed(1)} -> ${(after / 1e6).toFixed(1)} MB)`,
);
