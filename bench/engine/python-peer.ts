import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The Python the peers run with: --python, else $PYTHON, else the team machine's venv. */
export function peerPython(flag: string | undefined): string {
  return flag ?? process.env.PYTHON ?? '/work/venv/bin/python';
}

/**
 * Runs a peer script (transformers on the CPU) and returns the JSON object of its last stdout line, or, when there is
 * no Python or the script fails (no torch, no transformers), why it was skipped, so the bench can say so and go on.
 */
export function runPythonPeer(python: string, script: string, args: readonly string[]): { ok: true; result: Record<string, unknown> } | { ok: false; why: string } {
  if (python.includes('/') && !existsSync(python)) return { ok: false, why: `no Python at ${python} (give --python PATH or set PYTHON)` };
  const run = spawnSync(python, [script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 * 2 ** 20 });
  if (run.error) return { ok: false, why: `${python} did not start (${run.error.message}); give --python PATH or set PYTHON` };
  if (run.status !== 0) {
    const tail = run.stderr.trim().split('\n').slice(-3).join(' | ');
    return { ok: false, why: `${script} exited ${run.status ?? run.signal}: ${tail}` };
  }
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return { ok: true, result: JSON.parse(last) as Record<string, unknown> };
  } catch {
    return { ok: false, why: `${script} printed no JSON line (last line: ${last.slice(0, 200)})` };
  }
}
