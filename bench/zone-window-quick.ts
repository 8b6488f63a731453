import { benchNextCallWindow } from './next-call-window.js';
import { benchZoneOffset } from './zone-offset.js';

/**
 * Runs only the zone offset and nextCallWindow scenarios (their full sizes) and prints their figures:
 * `node --expose-gc --import tsx bench/zone-window-quick.ts`.
 */
const zoneOffset = await benchZoneOffset();
const nextCallWindow = await benchNextCallWindow();
console.log(
  JSON.stringify(
    {
      zoneOffsetNs: zoneOffset.nsPerOp,
      zoneOffsetMismatches: zoneOffset.mismatches,
      nextCallWindowNs: nextCallWindow.nsPerOp,
      isCallAllowedNs: nextCallWindow.isCallAllowedNsPerOp,
      nextCallWindowUtcNs: nextCallWindow.utcNsPerOp,
    },
    null,
    2,
  ),
);
