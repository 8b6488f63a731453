/** The `dialer-scheduler` program: runs the CLI on the process's arguments; `serve` keeps running until SIGTERM. */
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
