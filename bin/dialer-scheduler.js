#!/usr/bin/env node
// Launches dialer-scheduler, the HTTP service (see launch.js).
import { launch } from './launch.js';

await launch('http/dialer-scheduler');
