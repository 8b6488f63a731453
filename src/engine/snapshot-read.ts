import { DialerError, type Issue, quote } from '../errors.js';
import { isPlainObject } from '../policy/fields.js';
import { MAX_ATTEMPTS_PER_24H } from '../policy/parse-rules.js';
import { parsePayload } from '../policy/payload.js';
import type { JsonValue } from '../policy/types.js';
import { type BlackoutDays, blackoutDaysOfKey, NO_BLACKOUT_DAYS } from '../schedule/blackout-days.js';
import type { CallSchedule } from '../schedule/call-schedule.js';
import { parseZone } from '../schedule/gmt-zone.js';
import { isInstant } from '../schedule/instant.js';
import { scheduleOfParts, zoneKeyOf } from '../schedule/schedule-cache.js';
import { rulesOfKey, weeklyWindowsOfRules } from '../schedule/weekly-windows.js';
import type { ZoneRules } from '../schedule/zone-rules.js';
import type { CampaignCore } from './campaign-core.js';
import { payloadHash } from './dedup.js';
import {
  CANCELLED,
  CODE_NAMES,
  DIALING,
  isFinalCode,
  PENDING,
  READY,
  REDIALED,
  WAITING,
} from './job-state.js';
import { CANCEL_REQUESTED, LEASE_EXPIRED } from './job-store.js';
import { type CampaignOptions, resolveOptions } from './options.js';
import { CAP_PERIOD_MS } from './phone-caps.js';
import {
  type CampaignSnapshot,
  COLUMNS,
  INT32_MAX,
  MAX_PHONE_ATTEMPTS,
  type NumberColumn,
  READABLE_SNAPSHOT_VERSIONS,
  storeColumn,
} from './snapshot.js';
import { windowAt } from './window-at.js';

/** Issues past this many are counted, not listed. */
const MAX_SNAPSHOT_ISSUES = 100;

/**
 * Checks a snapshot and returns its options and a function that fills an empty campaign with it. What
 * can be derived is recomputed rather than trusted: the windows of waiting and ready jobs come from
 * their schedules at the snapshot's instant, so no snapshot can make a campaign call outside a window.
 * @throws DialerError `invalid.snapshot` listing every inconsistency found (the first 100).
 */
export function readSnapshot(snapshot: unknown): {
  options: CampaignOptions;
  fill: (core: CampaignCore) => void;
} {
  const issues: Issue[] = [];
  let omitted = 0;
  const bad = (path: (string | number)[], message: string): void => {
    if (issues.length < MAX_SNAPSHOT_ISSUES) {
      issues.push({ path: ['snapshot', ...path], code: 'invalid.snapshot', message });
    } else omitted++;
  };
  const stop = (): never => {
    if (omitted > 0) {
      issues.push({
        path: ['snapshot'],
        code: 'invalid.snapshot',
        message: `... and ${omitted} more issues.`,
      });
    }
    throw new DialerError(issues);
  };
  if (!isPlainObject(snapshot)) {
    bad([], `snapshot ${quote(snapshot)} is not valid: expected the object snapshot() returns.`);
    return stop();
  }
  const s = snapshot as Partial<Record<keyof CampaignSnapshot, unknown>>;
  if (!READABLE_SNAPSHOT_VERSIONS.includes(s.version as number)) {
    bad(
      ['version'],
      `snapshot version ${quote(s.version)} is not supported: expected ${READABLE_SNAPSHOT_VERSIONS.join(' or ')}.`,
    );
    return stop();
  }
  // Version 2 knew no calling rules: its schedules have no blackout days and its campaign no rules.
  const hasRules = s.version !== 2;
  const o = s.options;
  if (!isPlainObject(o)) {
    bad(['options'], 'snapshot options are missing.');
    return stop();
  }
  const options: Record<string, unknown> = {
    defaults: o.defaults,
    strictPriority: o.strictPriority,
    leaseTimeoutMs: o.leaseTimeoutMs,
    dedupWindowMs: o.dedupWindowMs,
    maxPayloadBytes: o.maxPayloadBytes,
    retentionMs: o.retentionMs,
  };
  if (!hasRules && (o.rules !== undefined || s.blackouts !== undefined))
    bad(
      ['version'],
      'a version 2 snapshot has no calling rules and no blackout days: expected version 3 for them.',
    );
  if (hasRules) {
    if (Array.isArray(o.rules)) options.rules = o.rules;
    else
      bad(
        ['options', 'rules'],
        `rules ${quote(o.rules)} are not valid: expected the list of calling rules ([] for none).`,
      );
  }
  if (o.maxTotalAttempts !== null) options.maxTotalAttempts = o.maxTotalAttempts;
  // The saved options are content of the snapshot: any problem with them (defaults included) is one of the snapshot.
  try {
    resolveOptions(options);
  } catch (error) {
    if (!(error instanceof DialerError)) throw error;
    for (const issue of error.issues) bad(['options', ...issue.path], `${issue.message} (${issue.code})`);
  }
  const leaseTimeoutMs = typeof o.leaseTimeoutMs === 'number' ? o.leaseTimeoutMs : Number.NaN;
  const maxTotalAttempts = typeof o.maxTotalAttempts === 'number' ? o.maxTotalAttempts : undefined;
  const maxPayloadBytes = typeof o.maxPayloadBytes === 'number' ? o.maxPayloadBytes : 65_536;

  const instant = (value: unknown, path: (string | number)[], nullMeans: number | undefined): number => {
    if (value === null && nullMeans !== undefined) return nullMeans;
    if (!isInstant(value)) {
      bad(
        path,
        `${quote(value)} is not an instant: expected epoch ms within ±8.64e15${nullMeans === undefined ? '' : ' or null'}.`,
      );
      return Number.NaN;
    }
    return value;
  };
  const latestMs = instant(s.latestMs, ['latestMs'], Number.NEGATIVE_INFINITY);
  if (typeof s.paused !== 'boolean') bad(['paused'], `paused ${quote(s.paused)} is not a boolean.`);
  const paused = s.paused === true;
  const nextJobNumber = s.nextJobNumber;
  if (
    !Number.isInteger(nextJobNumber) ||
    (nextJobNumber as number) < 0 ||
    (nextJobNumber as number) > INT32_MAX
  ) {
    bad(['nextJobNumber'], `${quote(nextJobNumber)} is not a job count.`);
  }

  const blackouts: BlackoutDays[] = [];
  if (hasRules) {
    if (!Array.isArray(s.blackouts)) bad(['blackouts'], 'blackout day sets are missing.');
    else {
      for (const [k, key] of (s.blackouts as unknown[]).entries()) {
        const days = typeof key === 'string' && key !== '' ? blackoutDaysOfKey(key) : undefined;
        if (days === undefined)
          bad(['blackouts', k], `${quote(key)} is not the key of a set of blackout days.`);
        blackouts.push(days ?? NO_BLACKOUT_DAYS);
      }
      if (new Set(s.blackouts).size !== blackouts.length)
        bad(['blackouts'], 'a set of blackout days appears twice.');
    }
  }
  const schedules: (CallSchedule | undefined)[] = [];
  if (!Array.isArray(s.schedules)) bad(['schedules'], 'schedules are missing.');
  else {
    for (const [k, raw] of (s.schedules as unknown[]).entries()) {
      schedules.push(undefined);
      if (!isPlainObject(raw)) {
        bad(['schedules', k], `${quote(raw)} is not a schedule.`);
        continue;
      }
      const zones = zonesOfKey(raw.zone);
      if (typeof zones === 'string') {
        bad(['schedules', k, 'zone'], zones);
        continue;
      }
      const rules = typeof raw.weekly === 'string' ? rulesOfKey(raw.weekly) : undefined;
      if (rules === undefined || rules.some(hasOverlap)) {
        bad(['schedules', k, 'weekly'], `${quote(raw.weekly)} is not a weekly rule key without overlaps.`);
        continue;
      }
      const startMs = instant(raw.startMs, ['schedules', k, 'startMs'], Number.NEGATIVE_INFINITY);
      const finishMs = instant(raw.finishMs, ['schedules', k, 'finishMs'], Number.POSITIVE_INFINITY);
      if (!(startMs < finishMs)) {
        bad(['schedules', k], 'schedule start is not before its finish.');
        continue;
      }
      let blackout = NO_BLACKOUT_DAYS;
      if (!hasRules && raw.blackout !== undefined) {
        bad(
          ['schedules', k, 'blackout'],
          'a version 2 snapshot has no blackout days: expected version 3 for them.',
        );
        continue;
      }
      if (hasRules && raw.blackout !== null) {
        if (
          !Number.isInteger(raw.blackout) ||
          (raw.blackout as number) < 0 ||
          (raw.blackout as number) >= blackouts.length
        ) {
          bad(
            ['schedules', k, 'blackout'],
            `${quote(raw.blackout)} is not null or the index of a set of blackout days (0 to ${blackouts.length - 1}).`,
          );
          continue;
        }
        blackout = blackouts[raw.blackout as number]!;
      }
      schedules[k] = scheduleOfParts(zones, weeklyWindowsOfRules(rules), startMs, finishMs, blackout);
    }
  }

  const phones: { phone: string; attempts: number; recentStarts: number[] }[] = [];
  if (!Array.isArray(s.phones)) bad(['phones'], 'phones are missing.');
  else {
    s.phones.forEach((raw: unknown, k) => {
      if (!isPlainObject(raw) || typeof raw.phone !== 'string' || !/^\d{3,15}$/.test(raw.phone)) {
        bad(['phones', k], `${quote(raw)} is not a phone record.`);
        phones.push({ phone: '', attempts: 0, recentStarts: [] });
        return;
      }
      const recentStarts = readRecentStarts(raw.recentStarts, latestMs, (message) =>
        bad(['phones', k, 'recentStarts'], message),
      );
      if (
        !Number.isInteger(raw.attempts) ||
        (raw.attempts as number) < 0 ||
        (raw.attempts as number) > MAX_PHONE_ATTEMPTS
      )
        bad(
          ['phones', k, 'attempts'],
          `${quote(raw.attempts)} is not a count from 0 to ${MAX_PHONE_ATTEMPTS}.`,
        );
      phones.push({ phone: raw.phone, attempts: Number(raw.attempts), recentStarts });
    });
    if (new Set(phones.map((p) => p.phone)).size !== phones.length) bad(['phones'], 'a phone appears twice.');
  }

  const policyKeys: string[] = [];
  if (!Array.isArray(s.policyKeys) || !s.policyKeys.every((k) => typeof k === 'string')) {
    bad(['policyKeys'], 'the policy keys of the duplicate memory are missing.');
  } else {
    policyKeys.push(...(s.policyKeys as string[]));
    if (new Set(policyKeys).size !== policyKeys.length) bad(['policyKeys'], 'a policy key appears twice.');
  }

  const doNotCall = readDoNotCall(s.doNotCall, bad);

  const j = s.jobs;
  if (!isPlainObject(j) || !Array.isArray(j.number)) {
    bad(['jobs'], 'job columns are missing.');
    return stop();
  }
  const n = j.number.length;
  if (!Array.isArray(j.state) || j.state.length !== n)
    bad(['jobs', 'state'], `column state is missing or not ${n} long.`);
  const codes = Array.from({ length: n }, (_, i) => {
    const name = Array.isArray(j.state) ? j.state[i] : undefined;
    const code = (CODE_NAMES as readonly unknown[]).indexOf(name);
    if (code < 0 && Array.isArray(j.state) && j.state.length === n) {
      bad(
        ['jobs', 'state', i],
        `job state ${quote(name)} is not known: expected one of ${CODE_NAMES.join(', ')}.`,
      );
    }
    return code;
  });
  const col = {} as Record<NumberColumn, number[]>;
  const limits: Partial<Record<NumberColumn, number>> = {
    schedule: schedules.length - 1,
    phone: phones.length - 1,
    policyKey: policyKeys.length - 1,
  };
  for (const rule of COLUMNS) {
    const raw = j[rule.name];
    if (!Array.isArray(raw) || raw.length !== n) {
      bad(['jobs', rule.name], `column ${rule.name} is missing or not ${n} long.`);
      col[rule.name] = new Array<number>(n).fill(Number.NaN);
      continue;
    }
    const max = limits[rule.name] ?? rule.max ?? INT32_MAX;
    col[rule.name] = raw.map((v: unknown, i) => {
      if (rule.kind === 'instant') return instant(v, ['jobs', rule.name, i], rule.nullMeans);
      if (Number.isInteger(v) && (v as number) >= rule.min! && (v as number) <= max) return v as number;
      bad(['jobs', rule.name, i], `${quote(v)} is not an integer from ${rule.min} to ${max}.`);
      return Number.NaN;
    });
  }
  const payloads = new Map<number, JsonValue>();
  if (!Array.isArray(j.payloads)) bad(['jobs', 'payloads'], 'payloads are missing.');
  else {
    for (const [k, pair] of (j.payloads as unknown[]).entries()) {
      if (!Array.isArray(pair) || pair.length !== 2 || !Number.isInteger(pair[0])) {
        bad(['jobs', 'payloads', k], `${quote(pair)} is not a [jobNumber, payload] pair.`);
        continue;
      }
      let problem = '';
      const payload = parsePayload(pair[1], maxPayloadBytes, (_path, _code, message) => {
        problem = message;
      });
      if (payload === undefined) {
        bad(['jobs', 'payloads', k], problem);
        continue;
      }
      payloads.set(pair[0] as number, payload);
    }
  }
  if (issues.length > 0) return stop();

  // Consistency between fields and jobs.
  const indexOfNumber = new Map<number, number>();
  col.number.forEach((number, i) => {
    if (i > 0 && !(number > col.number[i - 1]!))
      bad(['jobs', 'number', i], 'job numbers are not increasing.');
    indexOfNumber.set(number, i);
  });
  if (n > 0 && col.number[n - 1]! >= (nextJobNumber as number)) {
    bad(['nextJobNumber'], `${quote(nextJobNumber)} is not above every job number.`);
  }
  for (const number of payloads.keys()) {
    if (!indexOfNumber.has(number))
      bad(['jobs', 'payloads'], `a payload names job number ${number}, which is not in the snapshot.`);
  }
  if (n > 0 && latestMs === Number.NEGATIVE_INFINITY)
    bad(['latestMs'], 'a snapshot with jobs has no latest instant.');
  const attemptsOfPhone = new Array<number>(phones.length).fill(0);
  const dialingOfPhone = new Set<number>();
  const liveOfPhone = new Set<number>();
  for (let i = 0; i < n; i++) {
    const where = (name: string) => ['jobs', name, i];
    const id = `job ${col.number[i]! + 1}`;
    const code = codes[i]!;
    const attempts = col.attempts[i]!;
    const flags = col.flags[i]!;
    const final = isFinalCode(code);
    attemptsOfPhone[col.phone[i]!]! += attempts;
    if (col.addedAtMs[i]! > latestMs)
      bad(where('addedAtMs'), `${id} was added after the snapshot's latest instant.`);
    if (final !== Number.isFinite(col.endedAtMs[i]!) || (final && col.endedAtMs[i]! > latestMs)) {
      bad(where('endedAtMs'), `${id} is ${CODE_NAMES[code]}, but its end instant says otherwise.`);
    }
    if (attempts > col.maxAttempts[i]!)
      bad(where('attempts'), `${id} has more attempts than its maxAttempts.`);
    if ((code === WAITING || code === READY) && attempts >= col.maxAttempts[i]!) {
      bad(where('attempts'), `${id} waits for an attempt it does not have.`);
    }
    if (code === PENDING && attempts !== 0)
      bad(where('attempts'), `${id} is a pending redial with attempts.`);
    if ((flags & CANCEL_REQUESTED) !== 0 && code !== DIALING && code !== CANCELLED) {
      bad(where('flags'), `${id} has a cancel pending but is neither dialing nor cancelled.`);
    }
    if ((flags & LEASE_EXPIRED) !== 0 && attempts === 0)
      bad(where('flags'), `${id} has an expired lease but no attempt.`);
    if (code === DIALING) {
      const lease = col.leaseUntilMs[i]!;
      if (attempts === 0) bad(where('attempts'), `${id} is dialing without an attempt.`);
      if (!(lease > latestMs && lease <= latestMs + leaseTimeoutMs)) {
        bad(
          where('leaseUntilMs'),
          `${id} is dialing without a lease that expires within leaseTimeoutMs of the latest instant.`,
        );
      }
      if (dialingOfPhone.has(col.phone[i]!))
        bad(where('state'), `${id} dials a phone that is already being dialed.`);
      dialingOfPhone.add(col.phone[i]!);
    }
    if (code === WAITING || code === READY || code === PENDING) liveOfPhone.add(col.phone[i]!);
    if ((code === WAITING || code === READY) && col.readyAtMs[i] === Number.POSITIVE_INFINITY) {
      bad(where('readyAtMs'), `${id} waits for a window but has no ready instant.`);
    }
    if (col.redialOf[i]! >= col.number[i]!) bad(where('redialOf'), `${id} redials a job created after it.`);
    const child = col.redialChild[i]!;
    if (child >= 0 && !(child > col.number[i]! && child < (nextJobNumber as number))) {
      bad(where('redialChild'), `${id} names redial ${child + 1}, which is not a later job of the campaign.`);
    }
    const childIndex = child >= 0 ? indexOfNumber.get(child) : undefined;
    if (childIndex !== undefined && col.redialOf[childIndex] !== col.number[i]) {
      bad(where('redialChild'), `${id} names redial ${child + 1}, which does not name it back.`);
    }
    if (code === REDIALED && child < 0) bad(where('state'), `${id} is redialed but names no redial.`);
    const parent = col.redialOf[i]!;
    const parentIndex = parent >= 0 ? indexOfNumber.get(parent) : undefined;
    if (parentIndex !== undefined && col.redialChild[parentIndex] !== col.number[i]) {
      bad(where('redialOf'), `${id} redials job ${parent + 1}, which does not name it.`);
    }
    if (code === PENDING && (parentIndex === undefined || codes[parentIndex] !== DIALING)) {
      bad(where('state'), `${id} is a pending redial whose parent is not dialing.`);
    }
    if (
      !final &&
      code !== PENDING &&
      code !== DIALING &&
      parent >= 0 &&
      parentIndex !== undefined &&
      !isFinalCode(codes[parentIndex]!)
    ) {
      bad(where('redialOf'), `${id} redials job ${parent + 1}, which has not ended.`);
    }
  }
  // A blocked phone's jobs all ended, but those being dialed, which end cancelled at their report.
  const listed = new Set(doNotCall);
  for (let i = 0; i < n && listed.size > 0; i++) {
    const code = codes[i]!;
    const endsCancelled = code === DIALING && (col.flags[i]! & CANCEL_REQUESTED) !== 0;
    if (!isFinalCode(code) && !endsCancelled && listed.has(phones[col.phone[i]!]?.phone ?? '')) {
      bad(
        ['jobs', 'state', i],
        `job ${col.number[i]! + 1} is ${CODE_NAMES[code]}, but its phone is on the do-not-call list.`,
      );
    }
  }
  phones.forEach((p, k) => {
    if (p.attempts < attemptsOfPhone[k]!)
      bad(['phones', k, 'attempts'], `phone ${p.phone} has fewer attempts than its jobs.`);
    if (maxTotalAttempts !== undefined && p.attempts >= maxTotalAttempts && liveOfPhone.has(k)) {
      bad(['phones', k, 'attempts'], `phone ${p.phone} is at maxTotalAttempts but has jobs waiting.`);
    }
  });
  // Windows are recomputed, not read: a waiting or ready job is in the window current at the latest instant.
  const windows = new Array<{ start: number; end: number } | null>(n).fill(null);
  for (let i = 0; i < n; i++) {
    if (codes[i] !== WAITING && codes[i] !== READY) continue;
    const window = windowAt(schedules[col.schedule[i]!]!, col.readyAtMs[i]!, latestMs);
    if (window === null)
      bad(
        ['jobs', 'readyAtMs', i],
        `job ${col.number[i]! + 1} waits, but no window of its schedule is left.`,
      );
    windows[i] = window;
  }
  if (issues.length > 0) return stop();

  const fill = (core: CampaignCore) => {
    core.latestMs = latestMs;
    core.paused = paused;
    const { jobs } = core;
    const used = new Set(col.phone);
    const phoneRows = phones.map((p, k) => {
      // A phone without jobs is kept only while its starts count for a cap.
      const recent = p.recentStarts.filter((at) => at > latestMs - CAP_PERIOD_MS);
      if (!used.has(k) && (recent.length === 0 || !core.caps.enabled)) return -1;
      // `add` may grow the table (and replace its arrays): read `attempts` after it.
      const row = core.phones.add(p.phone);
      core.phones.attempts[row] = p.attempts;
      if (core.caps.enabled) core.caps.restore(row, recent, latestMs);
      if (!used.has(k) && core.caps.startsOf(row).length === 0) {
        core.phones.remove(row);
        return -1;
      }
      return row;
    });
    for (let i = 0; i < n; i++) {
      const slot = jobs.addNumbered(col.number[i]!);
      for (const rule of COLUMNS) {
        if (rule.name !== 'number') storeColumn(jobs, rule.name)[slot] = col[rule.name][i]!;
      }
      let code = codes[i]!;
      const window = windows[i];
      if (window !== null && window !== undefined) {
        jobs.readyAtMs[slot] = window.start;
        jobs.windowEndMs[slot] = window.end;
        code = window.start <= latestMs ? READY : WAITING;
      }
      // The lease deadline is kept whatever the state: a late report of an expired lease quotes it.
      jobs.state[slot] = code;
      const row = phoneRows[col.phone[i]!]!;
      jobs.phone[slot] = row;
      const first = core.phones.firstJob[row]!;
      jobs.nextOfPhone[slot] = first;
      jobs.prevOfPhone[slot] = -1;
      if (first >= 0) jobs.prevOfPhone[first] = slot;
      core.phones.firstJob[row] = slot;
      jobs.schedule[slot] = core.schedules.acquire(schedules[col.schedule[i]!]!);
      const payload = payloads.get(col.number[i]!);
      if (payload !== undefined) jobs.payloads[slot] = payload;
      const key = col.policyKey[i]!;
      jobs.policyKey[slot] = key < 0 ? -1 : core.duplicates.policyKeys.acquire(policyKeys[key]!);
      jobs.payloadHash[slot] = key < 0 ? 0 : payloadHash(payload);
    }
    jobs.created = nextJobNumber as number;
    for (const phone of doNotCall) core.blocked.add(phone);
    core.rememberRestored();
  };
  return { options: options as CampaignOptions, fill };
}

/** The zones of a stored zone key (one ID, or several sorted and joined by `&`), or why it is not one. */
function zonesOfKey(key: unknown): readonly ZoneRules[] | string {
  if (typeof key !== 'string') return `zone ${quote(key)} is not a zone ID.`;
  const zones: ZoneRules[] = [];
  for (const part of key.split('&')) {
    const zone = parseZone(part);
    if (typeof zone === 'string') return zone;
    zones.push(zone);
  }
  // One spelling per set of zones, the one schedules write: distinct normalised IDs, sorted.
  if (zoneKeyOf(zones) !== key)
    return `zone ${quote(key)} is not a zone key: expected normalised zone IDs, distinct, sorted and joined by "&".`;
  return zones;
}

/**
 * A phone's `recentStarts` (absent: none): instants, oldest first, none after the latest instant, at
 * most {@link MAX_ATTEMPTS_PER_24H} of them (a cap keeps no more). Problems go to `bad`.
 */
function readRecentStarts(value: unknown, latestMs: number, bad: (message: string) => void): number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_ATTEMPTS_PER_24H) {
    bad(`${quote(value)} is not a list of at most ${MAX_ATTEMPTS_PER_24H} attempt starts.`);
    return [];
  }
  for (const [k, at] of value.entries()) {
    if (!isInstant(at) || at > latestMs || (k > 0 && at < value[k - 1])) {
      bad(`start ${quote(at)} is not valid: expected epoch ms, oldest first, none after the latest instant.`);
      return [];
    }
  }
  return value as number[];
}

/**
 * The do-not-call list of a snapshot: absent (none), else phones as digit strings (3 to 15 digits),
 * sorted and each once, as `writeSnapshot` writes them.
 */
function readDoNotCall(value: unknown, bad: (path: (string | number)[], message: string) => void): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    bad(['doNotCall'], `doNotCall ${quote(value)} is not a list of phones.`);
    return [];
  }
  const phones: string[] = [];
  value.forEach((phone: unknown, k) => {
    if (typeof phone !== 'string' || !/^\d{3,15}$/.test(phone))
      bad(['doNotCall', k], `${quote(phone)} is not a phone: expected 3 to 15 digits.`);
    else if (k > 0 && !(phone > (value[k - 1] as string)))
      bad(['doNotCall', k], `phone ${phone} is out of order or repeated: expected sorted, distinct phones.`);
    else phones.push(phone);
  });
  return phones;
}

/** Whether intervals of one day's list overlap on the 48-hour line (spec section 3). */
function hasOverlap(list: readonly { fromMinute: number; toMinute: number }[]): boolean {
  const onLine = list.map(({ fromMinute, toMinute }) => [
    fromMinute,
    fromMinute < toMinute ? toMinute : toMinute + 1440,
  ]);
  for (let a = 0; a < onLine.length; a++) {
    for (let b = a + 1; b < onLine.length; b++) {
      if (onLine[a]![0]! < onLine[b]![1]! && onLine[b]![0]! < onLine[a]![1]!) return true;
    }
  }
  return false;
}
