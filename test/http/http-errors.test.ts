/** The service's error answers for a report written before what followed it failed (spec section 14). */
import { describe, expect, it } from 'vitest';
import { errorAnswer } from '../../src/http/http-errors.js';
import { ReportWrittenError } from '../../src/postgres/report-written-error.js';

describe('errorAnswer of a report that was written (§14)', () => {
  it('answers report.written: 503 with Retry-After when the database is out of reach, else 500', () => {
    const unreachable = new ReportWrittenError(Object.assign(new Error('down'), { code: '57P01' }));
    expect(errorAnswer(unreachable, 0)).toMatchObject({
      status: 503,
      body: { type: 'report.written' },
      headers: { 'retry-after': '5' },
    });
    expect(errorAnswer(unreachable, 0).body.message).toContain('do not report it again');
    expect(errorAnswer(new ReportWrittenError(new Error('a bug')), 0)).toMatchObject({
      status: 500,
      body: { type: 'report.written' },
      headers: {},
    });
  });

  it('keeps the answer of a failure whose report was not written', () => {
    expect(errorAnswer(Object.assign(new Error('down'), { code: '57P01' }), 0)).toMatchObject({
      status: 503,
      body: { type: 'unavailable' },
    });
  });
});
