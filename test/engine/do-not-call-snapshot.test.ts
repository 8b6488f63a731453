import { describe, expect, it } from 'vitest';
import { Campaign } from '../../src/index.js';
import { at, campaignOf, thrown } from './helpers.js';

const T0 = at('2024-06-03T09:00:00Z');

/** A snapshot with a live job of phone 100 and a do-not-call list of 200 and 300. */
function snapshotWithList() {
  const campaign = campaignOf();
  campaign.addPhones([{ phone: '100' }, { phone: '200' }], { now: T0 });
  campaign.blockPhones(['300', '200'], T0);
  return JSON.parse(JSON.stringify(campaign.snapshot()));
}

describe('Campaign.restore: the do-not-call list (§12, §9)', () => {
  it('writes the list sorted and restores it as written (§12)', () => {
    const snapshot = snapshotWithList();
    expect(snapshot.doNotCall).toEqual(['200', '300']);
    expect(Campaign.restore(snapshot).snapshot()).toEqual(snapshot);
  });

  it.each([
    ['not a list', '200', ['snapshot', 'doNotCall']],
    ['a phone that is not digits', ['200', '+300'], ['snapshot', 'doNotCall', 1]],
    ['too short a phone', ['12'], ['snapshot', 'doNotCall', 0]],
    ['a number', [300], ['snapshot', 'doNotCall', 0]],
    ['out of order', ['300', '200'], ['snapshot', 'doNotCall', 1]],
    ['a phone twice', ['200', '200'], ['snapshot', 'doNotCall', 1]],
    ['a phone with a live job', ['100', '200'], ['snapshot', 'jobs', 'state', 0]],
  ])('rejects %s (invalid.snapshot, §12)', (_what, list, path) => {
    const snapshot = snapshotWithList();
    snapshot.doNotCall = list;
    const error = thrown(() => Campaign.restore(snapshot));
    expect(error.issues).toMatchObject([{ code: 'invalid.snapshot', path }]);
  });

  it('accepts a snapshot without the field (no phone blocked) (§12)', () => {
    const snapshot = snapshotWithList();
    delete snapshot.doNotCall;
    const restored = Campaign.restore(snapshot);
    expect(restored.addPhones([{ phone: '300' }], { now: T0 }).blocked).toEqual([]);
  });
});
