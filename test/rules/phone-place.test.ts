import { describe, expect, it } from 'vitest';
import { isPhoneCountry, isPhoneRegion, phonePlace } from '../../src/rules/phone-place.js';

describe('phonePlace', () => {
  it('tells state and zone of a New York number', () => {
    expect(phonePlace('12125550123')).toEqual({
      country: 'US',
      region: 'US-NY',
      zones: ['America/New_York'],
    });
  });

  it('accepts a leading plus', () => {
    expect(phonePlace('+12125550123')).toEqual(phonePlace('12125550123'));
  });

  it('tells state and zone of a Chicago number', () => {
    expect(phonePlace('13125550123')).toEqual({ country: 'US', region: 'US-IL', zones: ['America/Chicago'] });
  });

  it('names every zone of an Alaska area code that spans zones', () => {
    expect(phonePlace('19075550123')).toEqual({
      country: 'US',
      region: 'US-AK',
      zones: ['America/Adak', 'America/Anchorage'],
    });
  });

  it('takes the longest prefix: a Juneau exchange of 907 has its own zone', () => {
    expect(phonePlace('19072220123')?.zones).toEqual(['America/Juneau']);
  });

  it('tells Canadian provinces, and no province for an area code that spans several', () => {
    expect(phonePlace('14165550123')).toEqual({ country: 'CA', region: 'CA-ON', zones: ['America/Toronto'] });
    expect(phonePlace('18675550123')?.region).toBeUndefined();
    expect(phonePlace('18674560000')?.region).toBe('CA-YT');
  });

  it('tells the other NANP countries by their own codes, without a region', () => {
    expect(phonePlace('17875550123')).toEqual({ country: 'PR', zones: ['America/Puerto_Rico'] });
    expect(phonePlace('18765550123')).toEqual({ country: 'JM', zones: ['America/Jamaica'] });
  });

  it('tells a London number', () => {
    expect(phonePlace('442079460000')).toEqual({ country: 'GB', zones: ['Europe/London'] });
  });

  it('tells an Indian number, with the map spelling Asia/Calcutta', () => {
    expect(phonePlace('919876543210')).toEqual({ country: 'IN', zones: ['Asia/Calcutta'] });
  });

  it('tells a Sydney number', () => {
    expect(phonePlace('61291234567')).toEqual({ country: 'AU', zones: ['Australia/Sydney'] });
  });

  it.each([
    ['an unassigned NANP area code', '19995550123'],
    ['the 555 fictional area code', '15555550123'],
    ['an unknown country calling code', '999123456'],
    ['a number of no country (+800 freephone)', '80012345678'],
    ['too few digits', '123'],
    ['a UK number too short for its area', '4420794'],
  ])('returns undefined for %s', (_what, digits) => {
    expect(phonePlace(digits)).toBeUndefined();
  });

  it('returns zones that the runtime knows', () => {
    for (const digits of ['12125550123', '19075550123', '442079460000', '919876543210', '61291234567']) {
      for (const zone of phonePlace(digits)?.zones ?? []) {
        expect(() => new Intl.DateTimeFormat('en', { timeZone: zone })).not.toThrow();
      }
    }
  });
});

describe('isPhoneCountry and isPhoneRegion', () => {
  it('know the countries phonePlace can return, territories with codes of their own included', () => {
    expect(['US', 'PR', 'GB', 'CA', 'UK', 'XX', 'us'].filter(isPhoneCountry)).toEqual([
      'US',
      'PR',
      'GB',
      'CA',
    ]);
  });

  it('know the regions phonePlace can return: every US state and DC, the Canadian provinces', () => {
    const states =
      'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY';
    for (const state of states.split(' ')) expect(isPhoneRegion(`US-${state}`)).toBe(true);
    expect(['CA-ON', 'CA-NL', 'CA-QC'].map(isPhoneRegion)).toEqual([true, true, true]);
    expect(['US-PR', 'US-XX', 'GB-ENG', 'NY'].map(isPhoneRegion)).toEqual([false, false, false, false]);
  });
});
