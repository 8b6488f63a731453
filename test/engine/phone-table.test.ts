import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PhoneTable } from '../../src/engine/phone-table.js';

describe('PhoneTable', () => {
  it('gives back every phone as its digits, leading zeros and all, and finds it again', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^\d{3,15}$/), { maxLength: 200 }), (phones) => {
        const table = new PhoneTable();
        const rows = phones.map((digits) => table.add(digits));
        expect(rows.map((row) => table.digitsOf(row))).toEqual(phones);
        expect(phones.map((digits) => table.find(digits))).toEqual(rows);
        // Removing half keeps the rest findable (backward-shift deletion), and the removed ones are gone.
        for (const [k, row] of rows.entries()) if (k % 2 === 0) table.remove(row);
        expect(phones.map((digits) => table.find(digits))).toEqual(
          rows.map((row, k) => (k % 2 === 0 ? -1 : row)),
        );
        expect(table.size).toBe(phones.length - Math.ceil(phones.length / 2));
      }),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 300) },
    );
  });
});
