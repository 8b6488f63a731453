import { closeSync, openSync, writeSync } from 'node:fs';
import type { EffectivePolicy } from './effective-policy.js';
import type { CallOutcome } from './outcome-model.js';

/**
 * One line of the call log (JSON lines, one per dial). `policy` is the effective calling policy the
 * engine used for the job, after inheritance, written as an entry would write it, so the line can be
 * checked on its own.
 */
export interface CallLogLine {
  readonly jobId: string;
  /** Digits, as the engine stores the phone. */
  readonly phone: string;
  /** 1-based attempt of the job's series. */
  readonly attempt: number;
  /** The instant of the dial, epoch ms. */
  readonly atMs: number;
  readonly outcome: CallOutcome;
  readonly policy: EffectivePolicy;
}

/** Where a simulation tells each dial: the call-log file, or anything else that keeps dials. */
export interface DialSink {
  /** One dial; `policyJson` is the job's effective policy already serialised (it is shared by many jobs). */
  write(
    jobId: string,
    phone: string,
    attempt: number,
    atMs: number,
    outcome: CallOutcome,
    policyJson: string,
  ): void;
}

const FLUSH_CHARS = 1 << 20;

/**
 * Writes the call log synchronously, in large chunks: the simulation never waits for the disk, and a
 * million-dial log never sits in memory.
 */
export class CallLogWriter implements DialSink {
  readonly path: string;
  readonly #fd: number;
  #buffer: string[] = [];
  #chars = 0;
  #lines = 0;

  /** Creates (or truncates) the file at `path`; throws the file system's error when it cannot. */
  constructor(path: string) {
    this.path = path;
    this.#fd = openSync(path, 'w');
  }

  /** Appends one line; `policyJson` is the effective policy already serialised (it is shared by many jobs). */
  write(
    jobId: string,
    phone: string,
    attempt: number,
    atMs: number,
    outcome: CallOutcome,
    policyJson: string,
  ): void {
    // jobId and phone are digit strings and outcome a fixed word: nothing to escape.
    const line = `{"jobId":"${jobId}","phone":"${phone}","attempt":${attempt},"atMs":${atMs},"outcome":"${outcome}","policy":${policyJson}}\n`;
    this.#buffer.push(line);
    this.#chars += line.length;
    this.#lines++;
    if (this.#chars >= FLUSH_CHARS) this.flush();
  }

  /** Lines written so far. */
  get lines(): number {
    return this.#lines;
  }

  flush(): void {
    if (this.#buffer.length === 0) return;
    writeSync(this.#fd, this.#buffer.join(''));
    this.#buffer = [];
    this.#chars = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.#fd);
  }
}
