#!/usr/bin/env node
// Launches dialer-sim, the simulation CLI (see launch.js).
import { launch } from './launch.js';

await launch('sim/dialer-sim');
