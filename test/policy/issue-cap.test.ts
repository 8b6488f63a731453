import { describe, expect, it } from 'vitest';
import { DialerError, MAX_ISSUES } from '../../src/errors.js';
import { parseEntries } from '../../src/policy/parse-entries.js';

/** An entry with two errors: a bad phone and a misspelt `allowedDays`. */
const badEntry = () => ({ phone: 'x', allowedDay: ['mon'] });

describe('parseEntries (issue cap)', () => {
  it('keeps the first MAX_ISSUES issues and counts one per later bad entry when a large body is all bad', () => {
    const count = 200_000;
    const body = Array.from({ length: count }, badEntry);
    const parsed = parseEntries(body);
    expect(parsed.errors).toHaveLength(MAX_ISSUES);
    // Two issues per entry: the first MAX_ISSUES / 2 entries are listed in full, every later one counts once.
    expect(parsed.omittedErrors).toBe(count - MAX_ISSUES / 2);
    expect(parsed.errors[0]).toMatchObject({ index: 0, path: ['phone'], code: 'phone.bad.format' });
    expect(parsed.errors[1]).toMatchObject({ index: 0, path: ['allowedDay'], code: 'unknown.field' });
    expect(parsed.errors.at(-1)).toMatchObject({ index: MAX_ISSUES / 2 - 1, code: 'unknown.field' });
    expect(parsed.accepted).toHaveLength(count);
    expect(parsed.accepted.every((slot) => slot === undefined)).toBe(true);
  });

  it('still accepts good entries and counts every kind of bad entry past the cap', () => {
    const good = { phone: '+1 650 000-0000' };
    const body: unknown[] = Array.from({ length: MAX_ISSUES }, () => ({ phone: 'x' }));
    body.push(
      good,
      'not an object',
      badEntry(),
      { phone: '123', startDateTime: '2025-01-02T00:00Z', finishDateTime: '2025-01-01T00:00Z' },
      good,
    );
    const parsed = parseEntries(body);
    expect(parsed.errors).toHaveLength(MAX_ISSUES);
    expect(parsed.omittedErrors).toBe(3);
    expect(parsed.accepted.slice(MAX_ISSUES).map((slot) => slot?.phone)).toEqual([
      '16500000000',
      undefined,
      undefined,
      undefined,
      '16500000000',
    ]);
  });

  it('cuts the issues of the entry that reaches the cap and counts the ones cut exactly', () => {
    const wide: Record<string, unknown> = { phone: '123' };
    for (let k = 0; k < MAX_ISSUES + 500; k++) wide[`extra${k}`] = k;
    const parsed = parseEntries([{ phone: 'x' }, wide, badEntry()]);
    expect(parsed.errors).toHaveLength(MAX_ISSUES);
    expect(parsed.errors[0]).toMatchObject({ index: 0, code: 'phone.bad.format' });
    expect(parsed.errors.slice(1).every((issue) => issue.index === 1 && issue.code === 'unknown.field')).toBe(
      true,
    );
    // 501 issues cut from entry 1, and entry 2 counts once.
    expect(parsed.omittedErrors).toBe(501 + 1);
  });

  it('reports every issue and omits none when the body has at most MAX_ISSUES', () => {
    const parsed = parseEntries(Array.from({ length: MAX_ISSUES / 2 }, badEntry));
    expect(parsed.errors).toHaveLength(MAX_ISSUES);
    expect(parsed.omittedErrors).toBe(0);
  });
});

describe('DialerError', () => {
  const issue = { index: 0, path: [], code: 'phone.bad.format', message: 'bad phone.' } as const;

  it('omits no issues by default', () => {
    const error = new DialerError([issue]);
    expect(error.omittedIssues).toBe(0);
    expect(error.message).toBe('[0] bad phone. (phone.bad.format)');
  });

  it('ends its message with the count of issues left out when some were', () => {
    const parsed = parseEntries(Array.from({ length: 20_000 }, badEntry));
    const error = new DialerError(parsed.errors, parsed.omittedErrors);
    expect(error.issues).toHaveLength(MAX_ISSUES);
    expect(error.omittedIssues).toBe(19_500);
    expect(error.message.split('\n')).toHaveLength(MAX_ISSUES + 1);
    expect(error.message.endsWith('\n… and at least 19,500 more issues')).toBe(true);
    expect(new DialerError([issue], 1).message).toMatchInlineSnapshot(`
      "[0] bad phone. (phone.bad.format)
      … and at least 1 more issue"
    `);
  });
});
