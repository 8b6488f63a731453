import { Campaign, DialerError } from '../src/index.js';

/** Figures of the bad-body scenario: an addPhones body of nothing but bad entries, rejected. */
export interface BadBodyFigures {
  readonly entries: number;
  /** Seconds for `addPhones` to throw. */
  readonly seconds: number;
  /** Peak `heapUsed` during the call above the heap before it, in MB. */
  readonly peakHeapMb: number;
  /** Seconds for `JSON.parse` of the same body's text (the baseline). */
  readonly jsonParseSeconds: number;
  /** Issues the error carries, and the count it says it left out (0 until addPhones passes `omittedErrors` on). */
  readonly issues: number;
  readonly omittedIssues: number;
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('bad-body bench needs node --expose-gc');
  gc();
  gc();
}

/**
 * `addPhones` of `count` entries that each have two errors (a bad phone, a misspelt `allowedDays`):
 * the time until it throws, and the peak heap during the call (heapUsed read by a getter on every
 * 1,000th entry), against `JSON.parse` of the same body's text.
 */
export function benchBadBody(count = 1_000_000): BadBodyFigures {
  const text = JSON.stringify(Array.from({ length: count }, () => ({ phone: 'x', allowedDay: ['mon'] })));
  collect();
  const t0 = performance.now();
  const body = JSON.parse(text) as unknown[];
  const jsonParseSeconds = (performance.now() - t0) / 1000;
  const campaign = new Campaign({});
  collect();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  // The heap is sampled from inside the call: every 1,000th entry's phone is a getter that reads it.
  for (let i = 0; i < count; i += 1_000) {
    body[i] = {
      get phone() {
        const used = process.memoryUsage().heapUsed;
        if (used > peak) peak = used;
        return 'x';
      },
      allowedDay: ['mon'],
    };
  }
  let error: DialerError | undefined;
  const t1 = performance.now();
  try {
    campaign.addPhones(body);
  } catch (caught) {
    if (!(caught instanceof DialerError)) throw caught;
    error = caught;
  }
  const seconds = (performance.now() - t1) / 1000;
  const after = process.memoryUsage().heapUsed;
  if (after > peak) peak = after;
  if (error === undefined) throw new Error('bad-body bench: the body was accepted');
  return {
    entries: count,
    seconds,
    peakHeapMb: (peak - before) / 2 ** 20,
    jsonParseSeconds,
    issues: error.issues.length,
    omittedIssues: error.omittedIssues,
  };
}
