import { SingleBar } from 'cli-progress';
import { countText } from './count-text.js';
import type { SimulationProgress } from './simulation.js';

/** Shows a run's progress on a stream: a cli-progress bar on a TTY, a plain line every 10% otherwise. */
export interface ProgressView {
  update(progress: SimulationProgress): void;
  stop(): void;
}

/** A stream as progress needs it (process.stderr, or a test double). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const DAY_MS = 86_400_000;

/** The progress view for `stream`; `quiet` shows nothing. */
export function progressView(stream: ProgressStream, quiet = false): ProgressView {
  if (quiet) return { update() {}, stop() {} };
  return stream.isTTY === true ? new BarView(stream) : new LineView(stream);
}

function label(p: SimulationProgress): { value: number; total: number; text: string } {
  if (p.phase === 'adding') {
    const of = p.total > 0 ? ` of ${p.total.toLocaleString('en-US')}` : '';
    return {
      value: p.done,
      total: p.total || p.done,
      text: `${p.done.toLocaleString('en-US')}${of} ${(p.total || p.done) === 1 ? 'entry' : 'entries'} added`,
    };
  }
  return {
    value: p.done,
    total: p.total,
    text: `day ${(p.done / DAY_MS).toFixed(1)} of ${(p.total / DAY_MS).toFixed(1)}, ${countText(p.dials, 'dial')}`,
  };
}

class BarView implements ProgressView {
  readonly #bar: SingleBar;
  #phase: SimulationProgress['phase'] | undefined;

  constructor(stream: ProgressStream) {
    this.#bar = new SingleBar({
      stream: stream as NodeJS.WritableStream,
      format: '{phase} [{bar}] {percentage}% | {text} | {duration_formatted}',
      barsize: 30,
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
    });
  }

  update(progress: SimulationProgress): void {
    const { value, total, text } = label(progress);
    if (this.#phase !== progress.phase) {
      if (this.#phase !== undefined) this.#bar.stop();
      this.#bar.start(total, value, { phase: progress.phase.padEnd(7), text });
      this.#phase = progress.phase;
    }
    this.#bar.setTotal(total);
    this.#bar.update(value, { text });
  }

  stop(): void {
    if (this.#phase !== undefined) this.#bar.stop();
  }
}

class LineView implements ProgressView {
  readonly #stream: ProgressStream;
  #lastTenth = -1;
  #phase: SimulationProgress['phase'] | undefined;

  constructor(stream: ProgressStream) {
    this.#stream = stream;
  }

  update(progress: SimulationProgress): void {
    if (progress.phase !== this.#phase) {
      this.#phase = progress.phase;
      this.#lastTenth = -1;
    }
    const { value, total, text } = label(progress);
    const tenth = total > 0 ? Math.floor((10 * value) / total) : 0;
    if (tenth === this.#lastTenth) return;
    this.#lastTenth = tenth;
    this.#stream.write(`${progress.phase}: ${text} (${tenth * 10}%)\n`);
  }

  stop(): void {}
}
