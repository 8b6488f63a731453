import { runCli } from '../../src/sim/cli.js';

/** Runs `dialer-sim` with captured output; stderr is not a TTY, so progress comes as plain lines. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text), isTTY: false },
  });
  return { code, out, err };
}
