/**
 * Offset rules of one time zone, as the window math needs them: the UTC offset at an instant and the
 * end of the period that offset holds in. Region zones read the runtime's tz data (Intl) once per
 * chunk of time and answer from a transition table; fixed offsets are constant.
 */
export interface ZoneRules {
  /** Normalised zone ID (spec section 4). */
  readonly id: string;
  /** Whether the offset never changes. */
  readonly isFixed: boolean;
  /** UTC offset at `atMs`, in seconds east of UTC. */
  offsetSecondsAt(atMs: number): number;
  /**
   * UTC offset at `atMs`, in milliseconds (local wall-clock ms = `atMs + offsetMsAt(atMs)`). Also sets
   * `periodEndMs` to `periodEndAfter(atMs)`, so a caller that needs both does one lookup.
   */
  offsetMsAt(atMs: number): number;
  /** `periodEndAfter` of the instant last passed to `offsetMsAt`. */
  readonly periodEndMs: number;
  /**
   * The first instant after `atMs` at which the offset may change, or `Infinity`. Region zones also
   * return chunk ends (about every 398 days), where the offset on both sides can be equal.
   */
  periodEndAfter(atMs: number): number;
}

/** A zone whose offset never changes. */
export class FixedZoneRules implements ZoneRules {
  readonly isFixed = true;
  readonly periodEndMs = Number.POSITIVE_INFINITY;
  readonly id: string;
  readonly #offsetMs: number;

  constructor(id: string, offsetSeconds: number) {
    this.id = id;
    this.#offsetMs = offsetSeconds * 1000;
  }

  offsetSecondsAt(_atMs: number): number {
    return this.#offsetMs / 1000;
  }

  offsetMsAt(_atMs: number): number {
    return this.#offsetMs;
  }

  periodEndAfter(_atMs: number): number {
    return Number.POSITIVE_INFINITY;
  }
}

/** Chunks are 2^35 ms (about 398 days) long; chunk k covers [k * CHUNK_MS, (k + 1) * CHUNK_MS). */
const CHUNK_MS = 2 ** 35;
/** Offsets are sampled once a day inside a chunk; transitions between samples are found by bisection. */
const SAMPLE_MS = 86_400_000;
/** The largest instant a Date can hold. */
const MAX_DATE_MS = 8.64e15;

/** The offset periods of one chunk: `offsetsMs[i]` holds from `startsMs[i]` (`startsMs[0]` is the chunk start). */
interface Chunk {
  readonly startMs: number;
  readonly startsMs: Float64Array;
  readonly offsetsMs: Float64Array;
  readonly endMs: number;
}

/** Matches no instant: the initial "last chunk". */
const EMPTY_CHUNK: Chunk = {
  startMs: 0,
  startsMs: new Float64Array(0),
  offsetsMs: new Float64Array(0),
  endMs: 0,
};

/** A region zone (`America/New_York`) whose offsets come from the runtime's tz data. */
export class RegionZoneRules implements ZoneRules {
  readonly isFixed = false;
  periodEndMs = Number.NaN;
  readonly id: string;
  readonly #format: Intl.DateTimeFormat;
  readonly #chunksFromEpoch: (Chunk | undefined)[] = [];
  readonly #chunksBeforeEpoch: (Chunk | undefined)[] = [];
  #lastChunk: Chunk = EMPTY_CHUNK;

  constructor(id: string) {
    this.id = id;
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone: id,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  offsetSecondsAt(atMs: number): number {
    return this.offsetMsAt(atMs) / 1000;
  }

  offsetMsAt(atMs: number): number {
    const chunk = this.#chunkAt(atMs);
    const starts = chunk.startsMs;
    let i = starts.length - 1;
    while (i > 0 && starts[i]! > atMs) i--;
    this.periodEndMs = i + 1 < starts.length ? starts[i + 1]! : chunk.endMs;
    return chunk.offsetsMs[i]!;
  }

  periodEndAfter(atMs: number): number {
    const chunk = this.#chunkAt(atMs);
    const starts = chunk.startsMs;
    for (let i = 1; i < starts.length; i++) if (starts[i]! > atMs) return starts[i]!;
    return chunk.endMs;
  }

  /** The offset straight from the tz data, without the table (slow: about a microsecond). */
  #sampleOffsetMs(atMs: number): number {
    // Beyond the range of Date the offset is the one at its edge.
    const wholeSecondMs = Math.floor(Math.min(Math.max(atMs, -MAX_DATE_MS), MAX_DATE_MS) / 1000) * 1000;
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let isBce = false;
    for (const part of this.#format.formatToParts(wholeSecondMs)) {
      switch (part.type) {
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          hour = Number(part.value);
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'second':
          second = Number(part.value);
          break;
        case 'era':
          isBce = part.value.startsWith('B');
          break;
        default:
          break;
      }
    }
    const localMs = utcMs(isBce ? 1 - year : year, month, day, hour, minute, second);
    return localMs - wholeSecondMs;
  }

  #chunkAt(atMs: number): Chunk {
    const last = this.#lastChunk;
    if (atMs >= last.startMs && atMs < last.endMs) return last;
    const k = Math.floor(atMs / CHUNK_MS);
    // Chunks by index: k >= 0 in one array, k < 0 in another (index -k - 1); modern instants are small k.
    const chunk = k >= 0 ? this.#chunksFromEpoch[k] : this.#chunksBeforeEpoch[-k - 1];
    if (chunk !== undefined) {
      this.#lastChunk = chunk;
      return chunk;
    }
    const built = this.#buildChunk(k * CHUNK_MS);
    if (k >= 0) this.#chunksFromEpoch[k] = built;
    else this.#chunksBeforeEpoch[-k - 1] = built;
    this.#lastChunk = built;
    return built;
  }

  #buildChunk(startMs: number): Chunk {
    const endMs = startMs + CHUNK_MS;
    const starts = [startMs];
    const offsets = [this.#sampleOffsetMs(startMs)];
    let prevMs = startMs;
    let prevOffset = offsets[0]!;
    for (let t = startMs + SAMPLE_MS; ; t += SAMPLE_MS) {
      const sampleMs = Math.min(t, endMs - 1);
      const offset = this.#sampleOffsetMs(sampleMs);
      // Usually one transition between samples; the loop also finds several.
      while (offset !== prevOffset) {
        // Bisect to the first millisecond without the old offset: offset(lo) is old, offset(hi) is not.
        let lo = prevMs;
        let hi = sampleMs;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (this.#sampleOffsetMs(mid) === prevOffset) lo = mid;
          else hi = mid;
        }
        prevOffset = this.#sampleOffsetMs(hi);
        prevMs = hi;
        starts.push(hi);
        offsets.push(prevOffset);
      }
      prevMs = sampleMs;
      if (sampleMs === endMs - 1) break;
    }
    return { startMs, startsMs: Float64Array.from(starts), offsetsMs: Float64Array.from(offsets), endMs };
  }
}

/** Date.UTC for any year, including 0..99 (which Date.UTC would read as 1900..1999). */
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number) {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}
