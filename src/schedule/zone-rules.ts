import { checkInstant, MAX_INSTANT_MS } from './instant.js';
import { LruCache } from './lru-cache.js';

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
  /**
   * UTC offset at `atMs`, in seconds east of UTC.
   *
   * @throws DialerError `invalid.option` when `atMs` is not an instant (within ±MAX_INSTANT_MS).
   */
  offsetSecondsAt(atMs: number): number;
  /**
   * UTC offset at `atMs`, in milliseconds (local wall-clock ms = `atMs + offsetMsAt(atMs)`). Also sets
   * `periodEndMs` to `periodEndAfter(atMs)`, so a caller that needs both does one lookup. Unchecked and
   * defined for every number: beyond ±MAX_INSTANT_MS the offset is the one at the nearer edge.
   */
  offsetMsAt(atMs: number): number;
  /** `periodEndAfter` of the instant last passed to `offsetMsAt`. */
  readonly periodEndMs: number;
  /**
   * The first instant after `atMs` at which the offset may change, or `Infinity`. Region zones also
   * return chunk ends (about every 398 days), where the offset on both sides can be equal. Every period
   * end is at most MAX_INSTANT_MS or `Infinity`: the last period of a region zone never ends.
   */
  periodEndAfter(atMs: number): number;
}

/**
 * From this instant on (2101-01-01) every zone of the runtime's tz data follows yearly calendar rules
 * (ICU's final rules; the tz data lists explicit changes up to 2087 at the latest): a zone's offset at
 * an instant depends only on where the instant falls in its UTC year and on the kind of that year and
 * of the years either side (weekday of 1 January, leap or not). Hence the offsets repeat every
 * {@link ZONES_REPEAT_MS}, and every 28 years (10,227 days, 1,461 weeks) between the century years that
 * are not leap years. Checked for every zone of the runtime by test/schedule/zone-repeat.test.ts.
 */
export const YEARLY_RULES_FROM_MS = Date.UTC(2101, 0, 1);
/** 400 Gregorian years (146,097 days, exactly 20,871 weeks): the cycle of the calendar, hence of yearly rules. */
export const ZONES_REPEAT_MS = 146_097 * 86_400_000;

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

  offsetSecondsAt(atMs: number): number {
    checkInstant(atMs, 'atMs');
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
/**
 * The first and last chunks: those holding -MAX_INSTANT_MS and MAX_INSTANT_MS. They stretch to -Infinity
 * and Infinity (beyond the range of Date the offset is the one at its edge), so that every number has a
 * chunk, every period end is a number within 2^53 or Infinity, and each loop below has a finite range.
 */
const FIRST_CHUNK = Math.floor(-MAX_INSTANT_MS / CHUNK_MS);
const LAST_CHUNK = Math.floor(MAX_INSTANT_MS / CHUNK_MS);
/**
 * Chunks kept in a dense array per zone: those of 1900 to about 2150, where nearly every instant falls
 * (at most 230 chunks, a few KiB). The hot path reads them with one index.
 */
const DENSE_FIRST_CHUNK = Math.floor(Date.UTC(1900, 0, 1) / CHUNK_MS);
const DENSE_CHUNKS = 230;
/** Chunks kept per zone outside the dense range, least recently used evicted. */
export const FAR_CHUNKS_PER_ZONE = 16;

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

/**
 * A region zone (`America/New_York`) whose offsets come from the runtime's tz data. Defined for every
 * number: beyond ±MAX_INSTANT_MS (and for NaN) the offset is the one at the nearer edge, and the last
 * period ends at `Infinity`. Memory per zone is bounded: the chunks of 1900..2150 plus
 * {@link FAR_CHUNKS_PER_ZONE} others.
 */
export class RegionZoneRules implements ZoneRules {
  readonly isFixed = false;
  periodEndMs = Number.NaN;
  readonly id: string;
  readonly #format: Intl.DateTimeFormat;
  /** `EMPTY_CHUNK` where not built yet: a packed array (one written at scattered indexes can turn into a slow dictionary). */
  readonly #denseChunks: Chunk[] = Array.from({ length: DENSE_CHUNKS }, () => EMPTY_CHUNK);
  readonly #farChunks = new LruCache<number, Chunk>(FAR_CHUNKS_PER_ZONE);
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

  /** Chunks held now (for tests of the memory bound). */
  get cachedChunks(): number {
    let dense = 0;
    for (const chunk of this.#denseChunks) if (chunk !== EMPTY_CHUNK) dense++;
    return dense + this.#farChunks.size;
  }

  offsetSecondsAt(atMs: number): number {
    checkInstant(atMs, 'atMs');
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
    // Beyond the range of Date the offset is the one at its edge (NaN too: only internal callers).
    const clampedMs = atMs >= -MAX_INSTANT_MS ? Math.min(atMs, MAX_INSTANT_MS) : -MAX_INSTANT_MS;
    const wholeSecondMs = Math.floor(clampedMs / 1000) * 1000;
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
    // The hot path: a built chunk of 1900..2150, by index.
    const denseIndex = Math.floor(atMs / CHUNK_MS) - DENSE_FIRST_CHUNK;
    if (denseIndex >= 0 && denseIndex < DENSE_CHUNKS) {
      const chunk = this.#denseChunks[denseIndex]!;
      if (chunk !== EMPTY_CHUNK) {
        this.#lastChunk = chunk;
        return chunk;
      }
    }
    return this.#chunkAtSlow(atMs);
  }

  #chunkAtSlow(atMs: number): Chunk {
    const raw = Math.floor(atMs / CHUNK_MS);
    // `!(>=)` also sends NaN to the first chunk.
    const k = !(raw >= FIRST_CHUNK) ? FIRST_CHUNK : Math.min(raw, LAST_CHUNK);
    const denseIndex = k - DENSE_FIRST_CHUNK;
    const isDense = denseIndex >= 0 && denseIndex < DENSE_CHUNKS;
    let chunk = isDense ? this.#denseChunks[denseIndex]! : this.#farChunks.get(k);
    if (chunk === undefined || chunk === EMPTY_CHUNK) {
      chunk = this.#buildChunk(k);
      if (isDense) this.#denseChunks[denseIndex] = chunk;
      else this.#farChunks.set(k, chunk);
    }
    this.#lastChunk = chunk;
    return chunk;
  }

  /**
   * The periods of chunk `k` (FIRST_CHUNK..LAST_CHUNK). Finite: samples step a day at a time through the
   * chunk's integer milliseconds (all below 2^53, so each step and midpoint is exact), each bisection
   * halves an integer range, and each transition found lies strictly after the previous one.
   */
  #buildChunk(k: number): Chunk {
    const sampleStartMs = k * CHUNK_MS;
    const sampleEndMs = sampleStartMs + CHUNK_MS;
    const starts = [sampleStartMs];
    const offsets = [this.#sampleOffsetMs(sampleStartMs)];
    let prevMs = sampleStartMs;
    let prevOffset = offsets[0]!;
    for (let t = sampleStartMs + SAMPLE_MS; ; t += SAMPLE_MS) {
      const sampleMs = Math.min(t, sampleEndMs - 1);
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
      if (sampleMs === sampleEndMs - 1) break;
    }
    // The edge chunks hold the whole line beyond them: their offset there is the edge's.
    if (k === FIRST_CHUNK) starts[0] = Number.NEGATIVE_INFINITY;
    const startMs = starts[0]!;
    const endMs = k === LAST_CHUNK ? Number.POSITIVE_INFINITY : sampleEndMs;
    return { startMs, startsMs: Float64Array.from(starts), offsetsMs: Float64Array.from(offsets), endMs };
  }
}

/**
 * Epoch ms of a proleptic Gregorian date-time written as UTC, for any year (Date.UTC reads 0..99 as
 * 1900..1999 and gives NaN beyond the range of Date, where a wall-clock time at its edge can fall).
 */
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number) {
  // Days from civil (H. Hinnant): years start in March so that the leap day comes last.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  const days = era * 146_097 + dayOfEra - 719_468;
  return days * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000;
}
