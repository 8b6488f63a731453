import type pg from 'pg';

/** The OUT columns of `serve_next`, the last of `report_and_serve`'s. */
const SERVE_OUTS = `    OUT t float8, OUT applies boolean, OUT w_attempts int, OUT w_lease_until float8,
    OUT w_starts float8[], OUT w_cap_until float8,
    OUT c_id float8, OUT c_phone_id float8, OUT c_schedule_id float8, OUT c_redial_of float8,
    OUT c_redial_child float8, OUT c_policy_key_id float8, OUT c_state smallint, OUT c_priority smallint,
    OUT c_attempts int, OUT c_max_attempts int, OUT c_retry_minutes int, OUT c_ready_at float8,
    OUT c_window_end float8, OUT c_lease_until float8, OUT c_ended_at float8, OUT c_added_at float8,
    OUT c_cancel_requested boolean, OUT c_lease_expired boolean, OUT c_own_fields int, OUT c_payload text,
    OUT c_attempt_started_at float8, OUT c_lease_token uuid, OUT c_digits text, OUT c_phone_attempts int,
    OUT c_phone_starts float8[], OUT c_cap_count int)
`;

/** The reported job of `report_and_serve`, as served (alias `j`). */
const OWN_JOB = `j.campaign_id = cid AND j.id = jid AND j.state = m_state AND j.attempts = m_attempts
          AND j.lease_until = m_lease_until AND j.cancel_requested = m_cancel_requested
          AND j.lease_expired = m_lease_expired AND j.redial_child IS NULL`;

/** The start of a function that serves: the variables `serveRead` and `serveWrite` use. */
const SERVE_BEGIN = `  LANGUAGE plpgsql AS $fn$
  DECLARE
    stored float8;
    last_deadline float8;
    is_due boolean;
    n int;
  BEGIN
`;

/**
 * The serve's read (into the OUT columns and `stored`, `last_deadline`, `is_due`): the campaign's time,
 * whether anything is due at it and the first ready job, locked, whose phone is free (`phoneFree`, of
 * alias `p`). With `own` (a condition on alias `j`), the job it names is locked first, `SKIP LOCKED`
 * (into `own_found`), and no job is served unless it was.
 */
function serveRead(parked: boolean, phoneFree: string, own?: string): string {
  // With `own`, the job is served only at the report's instant (now_ms): the checks read it directly.
  const dueAt = own === undefined ? 'tt.at_ms' : 'now_ms';
  const candAt = own === undefined ? '(SELECT d.at_ms FROM d)' : 'now_ms';
  return `    -- One statement, so one snapshot, for the time, what is due and the first ready job: read in
    -- several, a report committed between them (a later instant, its phone's line freed) would be
    -- seen by the job's read and not by the time's, and its phone served at an earlier instant.
    -- The latest lease (latest deadline, then latest start) gives the start the campaign's time counts.
    WITH ${
      own === undefined
        ? ''
        : `own AS (
        SELECT FROM {s}.jobs j WHERE ${own} FOR UPDATE SKIP LOCKED),
      `
    }c AS (
        SELECT c.paused, GREATEST(c.latest_ms, coalesce((SELECT max(k.latest_ms) FROM {s}.clocks k WHERE k.campaign_id = cid), '-Infinity')) AS stored_ms,
          l.lease_until AS last_deadline, l.started_at
        FROM {s}.campaigns c LEFT JOIN LATERAL (
          SELECT lease_until, coalesce(attempt_started_at, lease_until - lease_ms) AS started_at FROM {s}.jobs
          WHERE campaign_id = cid AND state = 2 ORDER BY lease_until DESC, attempt_started_at DESC LIMIT 1) l ON true
        WHERE c.id = cid),
      tt AS (
        SELECT c.paused, c.stored_ms, c.last_deadline, GREATEST(coalesce(now_ms, floor(extract(epoch FROM clock_timestamp()) * 1000)),
          c.stored_ms, coalesce(c.started_at, '-Infinity')) AS at_ms
        FROM c),
      d AS (
        SELECT tt.*,
          coalesce((SELECT min(lease_until) FROM {s}.jobs WHERE campaign_id = cid AND state = 2) <= ${dueAt}, false)
          OR coalesce((SELECT min(window_end) FROM {s}.jobs WHERE campaign_id = cid AND state = 1 AND window_end < 'Infinity') <= ${dueAt}, false)
          OR coalesce((SELECT min(ready_at) FROM {s}.jobs WHERE campaign_id = cid AND state = 0) <= ${dueAt}, false)
          OR coalesce((SELECT min(forget_at) FROM {s}.jobs WHERE campaign_id = cid AND state BETWEEN 3 AND 7) <= ${dueAt}, false)${
            parked
              ? `
          OR (capped AND coalesce((SELECT min(hold_until) FROM {s}.jobs WHERE campaign_id = cid AND state = 1 AND hold_until > '-Infinity') <= ${dueAt}, false))`
              : ''
          } AS due${own === undefined ? '' : ', EXISTS (SELECT FROM own) AS own_found'}
        FROM tt),
      cand AS (
        SELECT j.id, j.phone_id, j.schedule_id, j.redial_of, j.redial_child, j.policy_key_id, j.state, j.priority,
          j.attempts, j.max_attempts, j.retry_minutes, j.ready_at, j.window_end, j.lease_until, j.ended_at, j.added_at,
          j.cancel_requested, j.lease_expired, j.own_fields, j.payload, j.attempt_started_at, j.lease_token,
          p.digits, p.attempts AS phone_attempts, p.recent_starts, p.cap_count
        FROM {s}.jobs j JOIN {s}.phones p ON p.id = j.phone_id
        WHERE j.campaign_id = cid AND j.state = 1${parked ? ` AND j.hold_until = '-Infinity'` : ''} AND j.window_end > ${candAt}
          AND j.ready_at <= ${candAt} AND ${phoneFree} AND p.cap_until <= ${candAt}
          AND p.free_at <= ${candAt}
          AND NOT (SELECT d.due OR d.paused${own === undefined ? '' : ' OR NOT d.own_found OR d.at_ms > now_ms'} FROM d)
        ORDER BY j.priority, j.window_end, j.ready_at, j.id LIMIT 1 FOR UPDATE OF j, p SKIP LOCKED)
    SELECT d.at_ms, d.stored_ms, d.last_deadline, d.due, cand.id, cand.phone_id, cand.schedule_id, cand.redial_of,
      cand.redial_child, cand.policy_key_id, cand.state, cand.priority, cand.attempts, cand.max_attempts,
      cand.retry_minutes, cand.ready_at, cand.window_end, cand.lease_until, cand.ended_at, cand.added_at,
      cand.cancel_requested, cand.lease_expired, cand.own_fields, cand.payload, cand.attempt_started_at,
      cand.lease_token, cand.digits, cand.phone_attempts, cand.recent_starts, cand.cap_count${own === undefined ? '' : ', d.own_found'}
    INTO t, stored, last_deadline, is_due, c_id, c_phone_id, c_schedule_id, c_redial_of, c_redial_child,
      c_policy_key_id, c_state, c_priority, c_attempts, c_max_attempts, c_retry_minutes, c_ready_at, c_window_end,
      c_lease_until, c_ended_at, c_added_at, c_cancel_requested, c_lease_expired, c_own_fields, c_payload,
      c_attempt_started_at, c_lease_token, c_digits, c_phone_attempts, c_phone_starts, c_cap_count${own === undefined ? '' : ', own_found'}
    FROM d LEFT JOIN cand ON true;
`;
}

/** The serve's writes of the job found (`c_id`): its lease, its phone's line and starts, parked jobs. */
function serveWrite(parked: boolean): string {
  return `      UPDATE {s}.jobs SET state = 2, attempts = c_attempts + 1, lease_until = t + lease_ms, lease_expired = false,
        lease_token = token, attempt_started_at = t
      WHERE campaign_id = cid AND id = c_id::bigint
      RETURNING attempts, lease_until INTO w_attempts, w_lease_until;
      IF capped AND c_cap_count > 0 THEN
        -- maxAttemptsPer24h: the phone's latest starts, at most its cap, and when the cap frees it.
        w_starts := coalesce(c_phone_starts, '{}') || t;
        n := cardinality(w_starts);
        IF n > c_cap_count THEN
          w_starts := w_starts[n - c_cap_count + 1 : n];
        END IF;
        w_cap_until := CASE WHEN cardinality(w_starts) = c_cap_count THEN w_starts[1] + cap_period_ms ELSE '-Infinity' END;
        UPDATE {s}.phones SET dialing_job = c_id::bigint, attempts = attempts + 1, recent_starts = w_starts,
          cap_until = w_cap_until
        WHERE id = c_phone_id::bigint;${
          parked
            ? `
        -- The cap holds the phone past this attempt: its other ready jobs leave the serve index until then.
        IF w_cap_until > t THEN
          UPDATE {s}.jobs SET hold_until = w_cap_until WHERE campaign_id = cid AND id IN (
            SELECT id FROM {s}.jobs WHERE phone_id = c_phone_id::bigint AND state = 1 AND id <> c_id::bigint
              AND hold_until < w_cap_until FOR UPDATE SKIP LOCKED);
        END IF;`
            : ''
        }
      ELSE
        UPDATE {s}.phones SET dialing_job = c_id::bigint, attempts = attempts + 1 WHERE id = c_phone_id::bigint;
      END IF;
`;
}

/**
 * The definition of `serve_next` (see migration 8); `parked` gives migration 9's, which knows the jobs
 * parked under a 24-hour cap. Migration 8 keeps its text as released.
 */
function serveNextFunction(parked: boolean): string {
  return `  CREATE OR REPLACE FUNCTION {s}.serve_next(cid bigint, now_ms float8, max_total int, lease_ms float8, token uuid,
    capped boolean, cap_period_ms float8,
${SERVE_OUTS}${SERVE_BEGIN}${serveRead(parked, 'p.dialing_job IS NULL')}    IF NOT FOUND THEN
      RETURN;
    END IF;
    IF is_due THEN
      applies := false;
      RETURN;
    END IF;
    applies := true;
    IF c_id IS NOT NULL THEN
      IF (max_total IS NOT NULL AND c_phone_attempts + 1 >= max_total) OR (capped AND c_cap_count < 0) THEN
        applies := false;
        RETURN;
      END IF;
${serveWrite(parked)}      -- The lease carries the instant when it is the latest; one that ends before another (made with a
      -- longer leaseTimeoutMs, imported) does not, and the instant is stored.
      IF w_lease_until >= coalesce(last_deadline, '-Infinity') OR t <= stored THEN
        RETURN;
      END IF;
    END IF;
    -- Nothing served, or a lease that is not the latest: the instant is stored on the connection's clock row.
    IF t > stored THEN
      PERFORM {s}.store_instant(cid, t);
    END IF;
  END
  $fn$;
`;
}

/**
 * A report's writes after its job's row (of `jid`, at the instant named `at`): its phone's line freed
 * (`free_phone`, or null) and its call-log row (`log_attempt`, or null for none).
 */
function reportEnd(at: string): string {
  return `    IF free_phone IS NOT NULL THEN
      UPDATE {s}.phones SET dialing_job = NULL, free_at = GREATEST(free_at, ${at}) WHERE id = free_phone;
    END IF;
    IF log_attempt IS NOT NULL THEN
      INSERT INTO {s}.call_log (campaign_id, job_id, attempt, phone, started_at_ms, ended_at_ms, outcome, lease_token)
      VALUES (cid, jid, log_attempt, log_phone, log_started_ms, log_ended_ms, log_outcome, coalesce(log_token, gen_random_uuid()));
    END IF;
`;
}

/**
 * The database schema, as versioned migrations applied in order by `migrate`. A migration is never
 * edited once released; a change is a new one. `{s}` stands for the quoted schema name.
 *
 * Jobs stay in one table while retained: serving reads only the partial indexes of live states
 * (`jobs_serve` holds ready jobs but those parked under a 24-hour cap), so finished rows cost serving
 * nothing; they are deleted once past the campaign's `retentionMs`. Instants are epoch ms in `float8`,
 * `±Infinity` where unbounded.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE {s}.campaigns (
    id bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    options json NOT NULL,
    next_job bigint NOT NULL DEFAULT 1,
    latest_ms float8 NOT NULL DEFAULT '-Infinity',
    paused boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  -- The campaign's time as each connection last moved it: the campaign's time is the largest. One row
  -- per connection, so that moving time on never waits for another process.
  CREATE TABLE {s}.clocks (
    campaign_id bigint NOT NULL REFERENCES {s}.campaigns ON DELETE CASCADE,
    backend_pid int NOT NULL,
    latest_ms float8 NOT NULL,
    PRIMARY KEY (campaign_id, backend_pid)
  );
  CREATE TABLE {s}.schedules (
    id bigserial PRIMARY KEY,
    campaign_id bigint NOT NULL REFERENCES {s}.campaigns ON DELETE CASCADE,
    zone text NOT NULL,
    start_ms float8 NOT NULL,
    finish_ms float8 NOT NULL,
    weekly text NOT NULL,
    UNIQUE (campaign_id, zone, start_ms, finish_ms, weekly)
  );
  CREATE TABLE {s}.policy_keys (
    id bigserial PRIMARY KEY,
    campaign_id bigint NOT NULL REFERENCES {s}.campaigns ON DELETE CASCADE,
    key text NOT NULL,
    UNIQUE (campaign_id, key)
  );
  CREATE TABLE {s}.phones (
    id bigserial PRIMARY KEY,
    campaign_id bigint NOT NULL REFERENCES {s}.campaigns ON DELETE CASCADE,
    digits text NOT NULL,
    attempts int NOT NULL DEFAULT 0,
    -- The job being dialed on the phone's one line (spec section 5), or null.
    dialing_job bigint,
    UNIQUE (campaign_id, digits)
  ) WITH (fillfactor = 80);
  CREATE TABLE {s}.jobs (
    campaign_id bigint NOT NULL REFERENCES {s}.campaigns ON DELETE CASCADE,
    id bigint NOT NULL,
    phone_id bigint NOT NULL,
    schedule_id bigint NOT NULL,
    state smallint NOT NULL,
    priority smallint NOT NULL,
    attempts int NOT NULL,
    max_attempts int NOT NULL,
    retry_minutes int NOT NULL,
    ready_at float8 NOT NULL,
    window_end float8 NOT NULL,
    lease_until float8 NOT NULL,
    ended_at float8 NOT NULL,
    added_at float8 NOT NULL,
    forget_at float8 NOT NULL,
    cancel_requested boolean NOT NULL DEFAULT false,
    lease_expired boolean NOT NULL DEFAULT false,
    redial_of bigint,
    redial_child bigint,
    policy_key_id bigint,
    own_fields int NOT NULL DEFAULT 0,
    payload text,
    lease_token uuid,
    PRIMARY KEY (campaign_id, id)
  ) WITH (fillfactor = 85);
  -- Spec section 5's order, ready jobs only.
  CREATE INDEX jobs_serve ON {s}.jobs (campaign_id, priority, window_end, ready_at, id) WHERE state = 1;
  CREATE INDEX jobs_waiting ON {s}.jobs (campaign_id, ready_at) WHERE state = 0;
  CREATE INDEX jobs_closing ON {s}.jobs (campaign_id, window_end) WHERE state = 1;
  CREATE INDEX jobs_leases ON {s}.jobs (campaign_id, lease_until, id) WHERE state = 2;
  CREATE INDEX jobs_forget ON {s}.jobs (campaign_id, forget_at) WHERE state BETWEEN 3 AND 7;
  CREATE INDEX jobs_phone ON {s}.jobs (phone_id);
  -- The duplicate memory (spec section 8): the key of each job added by addPhones, never updated.
  CREATE TABLE {s}.dedup (
    campaign_id bigint NOT NULL REFERENCES {s}.campaigns ON DELETE CASCADE,
    key bytea NOT NULL,
    job_id bigint NOT NULL,
    added_at float8 NOT NULL,
    PRIMARY KEY (campaign_id, key, job_id)
  );
  CREATE INDEX dedup_added ON {s}.dedup (campaign_id, added_at);
  -- One row per attempt, kept after its job is forgotten.
  CREATE TABLE {s}.call_log (
    campaign_id bigint NOT NULL REFERENCES {s}.campaigns ON DELETE CASCADE,
    job_id bigint NOT NULL,
    attempt int NOT NULL,
    phone text NOT NULL,
    started_at_ms float8 NOT NULL,
    ended_at_ms float8,
    outcome text,
    lease_token uuid NOT NULL,
    PRIMARY KEY (campaign_id, job_id, attempt)
  ) WITH (fillfactor = 80);
  `,
  `
  -- The HTTP service's (dialer-scheduler serve): each campaign's token, kept as its SHA-256 only.
  CREATE TABLE {s}.campaign_tokens (
    campaign_id bigint PRIMARY KEY REFERENCES {s}.campaigns ON DELETE CASCADE,
    token_sha256 bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  -- Idempotence keys of the Calls API, kept 24 hours: the request they were first used with (its
  -- SHA-256) and the answer given, null while that first request is in progress.
  CREATE TABLE {s}.idempotence_keys (
    campaign_id bigint NOT NULL REFERENCES {s}.campaigns ON DELETE CASCADE,
    route text NOT NULL,
    key text NOT NULL,
    request_sha256 bytea NOT NULL,
    answer text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign_id, route, key)
  );
  CREATE INDEX idempotence_keys_created ON {s}.idempotence_keys (created_at);
  `,
  `
  -- The do-not-call list (spec section 12): phones no job is added for, kept until unblocked (not tied
  -- to the phones rows, which go with their jobs' retention). Read by adds under the campaign row's lock.
  CREATE TABLE {s}.do_not_call (
    campaign_id bigint NOT NULL REFERENCES {s}.campaigns ON DELETE CASCADE,
    digits text NOT NULL,
    PRIMARY KEY (campaign_id, digits)
  );
  `,
  `
  -- For explain: the policy key (origin key) of the own fields each job was resolved from, null for a
  -- job imported from a snapshot (explained from its policy_key_id, when it has one).
  ALTER TABLE {s}.jobs ADD COLUMN origin_key_id bigint;
  `,
  `
  -- maxAttemptsPer24h (spec section 12), for phones a rule caps: the latest attempt starts (oldest first,
  -- at most the cap; null for a phone never capped) and the instant the cap lets an attempt start again,
  -- set in the transaction that starts an attempt. Serving skips phones whose cap_until is after now.
  ALTER TABLE {s}.phones ADD COLUMN recent_starts float8[], ADD COLUMN cap_until float8 NOT NULL DEFAULT '-Infinity';
  CREATE INDEX phones_capped ON {s}.phones (campaign_id, cap_until) WHERE cap_until > '-Infinity';
  `,
  `
  -- An attempt in progress is read from its job row (dialing: the attempt, the lease token, its start);
  -- the call log gets one row per attempt when the attempt ends, written once and never updated.
  ALTER TABLE {s}.jobs ADD COLUMN attempt_started_at float8;
  UPDATE {s}.jobs j SET attempt_started_at = l.started_at_ms FROM {s}.call_log l
  WHERE j.state = 2 AND l.campaign_id = j.campaign_id AND l.job_id = j.id AND l.attempt = j.attempts
    AND l.ended_at_ms IS NULL;
  DELETE FROM {s}.call_log WHERE ended_at_ms IS NULL;
  -- Rows are never updated now: new pages are filled.
  ALTER TABLE {s}.call_log SET (fillfactor = 100);
  -- A window without an end never closes: such ready jobs are not indexed for their closing.
  DROP INDEX {s}.jobs_closing;
  CREATE INDEX jobs_closing ON {s}.jobs (campaign_id, window_end) WHERE state = 1 AND window_end < 'Infinity';
  `,
  `
  -- Calling rules (spec section 12): a schedule's blackout days as their canonical key ('' for none),
  -- part of what makes it distinct. The key of a century of holidays is a few KiB, too long for a
  -- b-tree entry: the unique index holds its md5.
  -- Written to apply again harmlessly (IF [NOT] EXISTS), so that the order of migrations can change.
  ALTER TABLE {s}.schedules ADD COLUMN IF NOT EXISTS blackout text NOT NULL DEFAULT '';
  ALTER TABLE {s}.schedules DROP CONSTRAINT IF EXISTS schedules_campaign_id_zone_start_ms_finish_ms_weekly_key;
  CREATE UNIQUE INDEX IF NOT EXISTS schedules_parts ON {s}.schedules (campaign_id, zone, start_ms, finish_ms, weekly, md5(blackout));
  `,
  `
  -- The call log is kept without its campaign's key check: an insert checked it with a share lock on
  -- the campaign row, a write of that row (a multixact when calls overlap) on every attempt's end.
  -- Deleting a campaign deletes its call log by hand (README).
  ALTER TABLE {s}.call_log DROP CONSTRAINT IF EXISTS call_log_campaign_id_fkey;
  -- maxAttemptsPer24h of the phone, as the campaign's rules give it for its number, written when the
  -- phone row is made or first served in a transaction: -1 not known yet, 0 no cap, else the cap.
  ALTER TABLE {s}.phones ADD COLUMN IF NOT EXISTS cap_count int NOT NULL DEFAULT -1;
  -- The instant of the call that last freed the phone's line: a serve at an earlier instant (its time
  -- read before that call committed) must not take the line, and the serving reads require it, so
  -- that a row lock's recheck of the phone's newest version refuses it too.
  ALTER TABLE {s}.phones ADD COLUMN IF NOT EXISTS free_at float8 NOT NULL DEFAULT '-Infinity';
  -- The connection's view of the campaign's time moved to at_ms: its clock row updated in place, or
  -- made by its first call.
  CREATE OR REPLACE FUNCTION {s}.store_instant(cid bigint, at_ms float8) RETURNS void LANGUAGE plpgsql AS $fn$
  BEGIN
    UPDATE {s}.clocks SET latest_ms = GREATEST(latest_ms, at_ms) WHERE campaign_id = cid AND backend_pid = pg_backend_pid();
    IF NOT FOUND THEN
      INSERT INTO {s}.clocks (campaign_id, backend_pid, latest_ms) VALUES (cid, pg_backend_pid(), at_ms)
      ON CONFLICT (campaign_id, backend_pid) DO UPDATE SET latest_ms = GREATEST({s}.clocks.latest_ms, EXCLUDED.latest_ms);
    END IF;
  END
  $fn$;
  -- next in one statement when nothing time-driven is due (src/postgres/at-once.ts): the campaign's
  -- time (stored, or the latest lease's start: a serve stores its instant in the lease alone), whether
  -- anything is due at the call's instant, and unless it is, the first ready job whose phone is free,
  -- locked SKIP LOCKED, leased (with the attempt's start) and its phone's line taken. applies is false,
  -- nothing written, when the call needs a transaction: something is due, the phone reaches
  -- max_total with this attempt, or (capped: the campaign has maxAttemptsPer24h rules) the phone's cap
  -- is not known yet. The c_ columns are the job's row as found, before its lease; w_ what was written.
${serveNextFunction(false)}  -- The report of a task this process served at once, with its instant known (src/postgres/at-once.ts,
  -- campaign-tx.ts): the attempt's end as the shared transition computed it, written on condition that
  -- the campaign's time is not past at_ms, nothing time-driven is due at it, and the job's row is as
  -- served (m_ columns; no redial). Then the phone's line is freed (free_phone, or null), the call-log
  -- row written (log_attempt, or null for none) and the instant stored when it moves the stored time.
  -- Returns whether it applied; when not, nothing is written.
  CREATE OR REPLACE FUNCTION {s}.report_served(cid bigint, at_ms float8, lease_ms float8, jid bigint,
    m_state smallint, m_attempts int, m_lease_until float8, m_cancel_requested boolean, m_lease_expired boolean,
    n_state smallint, n_attempts int, n_ready_at float8, n_window_end float8, n_lease_until float8,
    n_ended_at float8, n_forget_at float8, n_cancel_requested boolean, n_lease_expired boolean,
    free_phone bigint, log_attempt int, log_phone text, log_started_ms float8, log_ended_ms float8,
    log_outcome text, log_token uuid)
  RETURNS boolean LANGUAGE plpgsql AS $fn$
  DECLARE
    stored float8;
  BEGIN
    -- The conditions are the update's, so that they and the row's match are read in one snapshot.
    WITH c AS (
      SELECT GREATEST(c.latest_ms, coalesce((SELECT max(k.latest_ms) FROM {s}.clocks k WHERE k.campaign_id = cid), '-Infinity')) AS stored_ms
      FROM {s}.campaigns c WHERE c.id = cid)
    UPDATE {s}.jobs j SET state = n_state, attempts = n_attempts, ready_at = n_ready_at, window_end = n_window_end,
      lease_until = n_lease_until, ended_at = n_ended_at, forget_at = n_forget_at,
      cancel_requested = n_cancel_requested, lease_expired = n_lease_expired
    FROM c
    WHERE j.campaign_id = cid AND j.id = jid AND j.state = m_state AND j.attempts = m_attempts
      AND j.lease_until = m_lease_until AND j.cancel_requested = m_cancel_requested
      AND j.lease_expired = m_lease_expired AND j.redial_child IS NULL
      AND c.stored_ms <= at_ms
      AND NOT coalesce((SELECT coalesce(attempt_started_at, lease_until - lease_ms) FROM {s}.jobs
        WHERE campaign_id = cid AND state = 2 ORDER BY lease_until DESC, attempt_started_at DESC LIMIT 1) > at_ms, false)
      AND NOT coalesce((SELECT min(lease_until) FROM {s}.jobs WHERE campaign_id = cid AND state = 2) <= at_ms, false)
      AND NOT coalesce((SELECT min(window_end) FROM {s}.jobs WHERE campaign_id = cid AND state = 1 AND window_end < 'Infinity') <= at_ms, false)
      AND NOT coalesce((SELECT min(ready_at) FROM {s}.jobs WHERE campaign_id = cid AND state = 0) <= at_ms, false)
      AND NOT coalesce((SELECT min(forget_at) FROM {s}.jobs WHERE campaign_id = cid AND state BETWEEN 3 AND 7) <= at_ms, false)
    RETURNING c.stored_ms INTO stored;
    IF NOT FOUND THEN
      RETURN false;
    END IF;
${reportEnd('at_ms')}    IF stored < at_ms THEN
      PERFORM {s}.store_instant(cid, at_ms);
    END IF;
    RETURN true;
  END
  $fn$;
  `,
  `
  -- A ready job whose phone its 24-hour cap holds is parked (spec section 13, serving stays an index
  -- lookup): hold_until is when the cap frees the phone, and the serve index leaves the job out until
  -- then, so that a serve does not pass over every held job. Jobs are parked when the cap starts
  -- holding their phone (the attempt that reaches it; a promotion while it holds) and put back when
  -- hold_until is due. Parking only narrows the index: the serve still checks the phone, so a job left
  -- unparked (-Infinity; a locked row, an import) is served no earlier.
  ALTER TABLE {s}.jobs ADD COLUMN IF NOT EXISTS hold_until float8 NOT NULL DEFAULT '-Infinity';
  CREATE INDEX IF NOT EXISTS jobs_serve_free ON {s}.jobs (campaign_id, priority, window_end, ready_at, id)
    WHERE state = 1 AND hold_until = '-Infinity';
  DROP INDEX IF EXISTS {s}.jobs_serve;
  ALTER INDEX IF EXISTS {s}.jobs_serve_free RENAME TO jobs_serve;
  CREATE INDEX IF NOT EXISTS jobs_held ON {s}.jobs (campaign_id, hold_until) WHERE state = 1 AND hold_until > '-Infinity';
  -- nextReadyAt reads held phones by cap end and ID, in batches (ties of one cap end included).
  DROP INDEX IF EXISTS {s}.phones_capped;
  CREATE INDEX phones_capped ON {s}.phones (campaign_id, cap_until, id) WHERE cap_until > '-Infinity';
  -- The ready jobs of phones a cap held are parked now (a hold already past is due, and put back, at
  -- the campaign's next call).
  UPDATE {s}.jobs j SET hold_until = p.cap_until FROM {s}.phones p
  WHERE p.id = j.phone_id AND p.cap_until > '-Infinity' AND j.state = 1 AND j.hold_until < p.cap_until;
  -- The rows added by the thousand (jobs, their phones and duplicate keys) are kept without their
  -- campaign's key check, as the call log is: each row's check was a trigger and a query locking the
  -- campaign row, a third of an add's server time. Adds hold the campaign row's lock (they cannot
  -- race its deletion), and deleting a campaign's row deletes its rows of these tables and its call log
  -- by this trigger, as the key's ON DELETE CASCADE did.
  ALTER TABLE {s}.jobs DROP CONSTRAINT IF EXISTS jobs_campaign_id_fkey;
  ALTER TABLE {s}.phones DROP CONSTRAINT IF EXISTS phones_campaign_id_fkey;
  ALTER TABLE {s}.dedup DROP CONSTRAINT IF EXISTS dedup_campaign_id_fkey;
  CREATE OR REPLACE FUNCTION {s}.campaign_deleted() RETURNS trigger LANGUAGE plpgsql AS $fn$
  BEGIN
    DELETE FROM {s}.jobs WHERE campaign_id = OLD.id;
    DELETE FROM {s}.phones WHERE campaign_id = OLD.id;
    DELETE FROM {s}.dedup WHERE campaign_id = OLD.id;
    DELETE FROM {s}.call_log WHERE campaign_id = OLD.id;
    RETURN OLD;
  END
  $fn$;
  DROP TRIGGER IF EXISTS campaign_deleted ON {s}.campaigns;
  CREATE TRIGGER campaign_deleted AFTER DELETE ON {s}.campaigns FOR EACH ROW EXECUTE FUNCTION {s}.campaign_deleted();
  -- serve_next of migration 8, with parked jobs: due when one's hold ends (capped campaigns), left out of
  -- the search, and parked when the attempt it serves makes the cap hold the phone.
${serveNextFunction(true)}  `,
  `
  -- completeAndNext in one statement (src/postgres/cycle-batch.ts): the report of a task this process
  -- served, at now_ms, then the serve at that instant, with one read for both. The job's row must be
  -- as served (m_ columns; no redial). The read is the serve's, made before the report's writes, so
  -- its phone counts as free (free_phone) and its own lease among the campaign's; the report applies
  -- when that read finds the campaign's time not past now_ms and nothing due at it. reported is
  -- false, nothing written, when not. When the report leaves its own job due at now_ms, ready (a retry) or its phone
  -- at its maxTotalAttempts, applies is false: the serve needs a transaction, and the instant is stored.
  -- Else the first ready job is served as serve_next serves it.
  -- The latest lease, read by every serve, is the first entry of the leases index read backwards: its
  -- start breaks ties of deadline in the index, not in a sort.
  CREATE INDEX IF NOT EXISTS jobs_leases_started ON {s}.jobs (campaign_id, lease_until, attempt_started_at, id)
    WHERE state = 2;
  DROP INDEX IF EXISTS {s}.jobs_leases;
  ALTER INDEX IF EXISTS {s}.jobs_leases_started RENAME TO jobs_leases;
  CREATE OR REPLACE FUNCTION {s}.report_and_serve(cid bigint, now_ms float8, lease_ms float8, jid bigint,
    m_state smallint, m_attempts int, m_lease_until float8, m_cancel_requested boolean, m_lease_expired boolean,
    n_state smallint, n_attempts int, n_ready_at float8, n_window_end float8, n_lease_until float8,
    n_ended_at float8, n_forget_at float8, n_cancel_requested boolean, n_lease_expired boolean,
    free_phone bigint, log_attempt int, log_phone text, log_started_ms float8, log_ended_ms float8,
    log_outcome text, log_token uuid, max_total int, token uuid, capped boolean, cap_period_ms float8,
    OUT reported boolean,
${SERVE_OUTS}${SERVE_BEGIN.replace('  BEGIN', '    own_found boolean;\n  BEGIN')}    reported := false;
    -- The reported job is locked first, then the serve's candidate (SKIP LOCKED), so that the call
    -- takes its locks in the order the two calls take them. Its phone's line is the job's: whoever
    -- writes it locks the job first.
${serveRead(true, '(p.dialing_job IS NULL OR p.id = free_phone)', OWN_JOB)}    IF FOUND AND NOT is_due AND t <= now_ms AND NOT own_found THEN
      -- Held by another transaction (a serve whose snapshot saw the job ready locks its newest row to
      -- recheck it, until it commits) or changed: wait for it, then read again after the wait.
      PERFORM FROM {s}.jobs j WHERE ${OWN_JOB} FOR UPDATE;
      IF NOT FOUND THEN
        RETURN;
      END IF;
${serveRead(true, '(p.dialing_job IS NULL OR p.id = free_phone)', OWN_JOB)}    END IF;
    IF NOT FOUND OR is_due OR NOT own_found OR t > now_ms THEN
      RETURN;
    END IF;
    UPDATE {s}.jobs SET state = n_state, attempts = n_attempts, ready_at = n_ready_at, window_end = n_window_end,
      lease_until = n_lease_until, ended_at = n_ended_at, forget_at = n_forget_at,
      cancel_requested = n_cancel_requested, lease_expired = n_lease_expired
    WHERE campaign_id = cid AND id = jid;
    reported := true;
${reportEnd('now_ms')}    -- The report's own job, unseen by the read as it is now: due, or ready to serve, at now_ms.
    applies := NOT (n_state = 1 OR (n_state = 0 AND n_ready_at <= now_ms) OR (n_state = 2 AND n_lease_until <= now_ms)
      OR n_forget_at <= now_ms);
    IF applies AND c_id IS NOT NULL THEN
      IF (max_total IS NOT NULL AND c_phone_attempts + 1 >= max_total) OR (capped AND c_cap_count < 0) THEN
        applies := false;
      ELSE
${serveWrite(true)}        IF w_lease_until >= coalesce(last_deadline, '-Infinity') OR t <= stored THEN
          RETURN;
        END IF;
      END IF;
    END IF;
    IF t > stored THEN
      PERFORM {s}.store_instant(cid, t);
    END IF;
  END
  $fn$;
  `,
];

/** The schema name as an SQL identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Brings the schema up to date: creates it when missing and applies the migrations not yet applied,
 * in one transaction under a transaction-scoped advisory lock, so that processes opening at once apply
 * each migration exactly once (the others wait, then find them applied).
 */
export async function migrate(client: pg.ClientBase, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  await client.query('BEGIN');
  try {
    // One lock per schema name: hashtext is stable across sessions.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`dialer-scheduler:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const applied = await client.query<{ version: number }>(`SELECT version FROM ${s}.migrations`);
    const done = new Set(applied.rows.map((row) => row.version));
    const newest = Math.max(0, ...done);
    if (newest > MIGRATIONS.length)
      throw new Error(
        `the schema ${JSON.stringify(schema)} has migration ${newest}, newer than this version of dialer-scheduler knows ` +
          `(${MIGRATIONS.length}): run a version at least as new as the one that migrated it`,
      );
    for (let k = 0; k < MIGRATIONS.length; k++) {
      const version = k + 1;
      if (done.has(version)) continue;
      await client.query(MIGRATIONS[k]!.replaceAll('{s}', s));
      await client.query(`INSERT INTO ${s}.migrations (version) VALUES ($1)`, [version]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
