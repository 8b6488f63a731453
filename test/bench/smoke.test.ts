import { describe, expect, it } from 'vitest';
import { benchIngest } from '../../bench/ingest.js';
import { benchNextCallWindow } from '../../bench/next-call-window.js';
import { benchServe } from '../../bench/serve.js';

// A smoke run of the benchmark code with tiny sizes: it must run and produce figures; no timing is asserted.
describe('benchmarks (smoke)', () => {
  it('runs nextCallWindow, ingest and serve scenarios at tiny sizes', async () => {
    const window = await benchNextCallWindow(50, 10);
    expect(window.policies).toBe(50);
    expect(Number.isFinite(window.nsPerOp) && Number.isFinite(window.luxonNsPerOp)).toBe(true);
    const ingest = benchIngest(200, 1);
    expect(ingest.entries).toBe(200);
    const serve = benchServe([500], 2_000);
    expect(Object.keys(serve.nsPerCycle)).toEqual(['500']);
  });
});
