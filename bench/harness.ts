import { Bench } from 'tinybench';

/** One measured task: `batch()` does `opsPerBatch` operations and returns something to keep alive. */
export interface BenchTask {
  readonly name: string;
  readonly opsPerBatch: number;
  readonly batch: () => unknown;
}

/** Median ns per operation of each task, measured side by side in one tinybench run. */
export async function measure(tasks: readonly BenchTask[], timeMs = 1500): Promise<Record<string, number>> {
  const bench = new Bench({ time: timeMs, warmupTime: Math.min(300, timeMs) });
  const kept: unknown[] = [];
  for (const task of tasks) bench.add(task.name, () => void kept.push(task.batch()), {});
  await bench.run();
  const result: Record<string, number> = {};
  for (const [i, task] of bench.tasks.entries()) {
    const state = task.result;
    if (state.state !== 'completed')
      throw new Error(`bench task ${task.name} did not complete: ${state.state}`);
    result[tasks[i]!.name] = (state.latency.p50 * 1e6) / tasks[i]!.opsPerBatch;
    kept.length = 0;
  }
  return result;
}

/**
 * A batch function that runs `op(i)` over `opsPerBatch` consecutive indexes (wrapping at `size`),
 * continuing where the previous batch stopped. Each call site gets its own loop, so `op` stays inlinable.
 */
export function cycling(size: number, opsPerBatch: number, op: (i: number) => unknown): () => unknown {
  let cursor = 0;
  return () => {
    let last: unknown;
    for (let k = 0; k < opsPerBatch; k++) {
      last = op(cursor);
      cursor = cursor + 1 === size ? 0 : cursor + 1;
    }
    return last;
  };
}
