import { vi } from 'vitest';
import { main } from '../../cli/main.ts';

/** Runs the fiat command line in-process: its exit code, the lines it logged, and what it wrote to stderr. */
export async function runCli(argv: string[]): Promise<{ code: number; out: string[]; err: string }> {
  const out: string[] = [];
  const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const code = await main(argv, (line) => out.push(line));
    return { code, out, err: errors.mock.calls.map((c) => c.join(' ')).join('\n') };
  } finally {
    errors.mockRestore();
  }
}
