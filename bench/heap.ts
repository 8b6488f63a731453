/**
 * `process.memoryUsage()` after two full collections (`node --expose-gc`; typed arrays count in
 * `external`). Without `--expose-gc` it throws when `needsGc`, else reads the heap as it stands.
 */
export function memoryAfterGc(needsGc = true): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined && needsGc) throw new Error('this benchmark needs node --expose-gc');
  gc?.();
  gc?.();
  return process.memoryUsage();
}

/** `heapUsed + external` after `memoryAfterGc`. */
export function usedBytes(needsGc = true): number {
  const usage = memoryAfterGc(needsGc);
  return usage.heapUsed + usage.external;
}
