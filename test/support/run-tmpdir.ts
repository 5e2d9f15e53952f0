/**
 * One temporary folder per `vitest run`, removed when the run ends. Tests, the CLI children
 * they spawn and the runtimes they start (miniflare, workerd, Redis) all make their scratch
 * folders with `os.tmpdir()`; pointing TMPDIR here before the workers start gathers them in
 * one place, so a run leaves nothing behind in the machine's /tmp, even where a test that
 * failed half-way never reached its own clean-up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'churnkit-test-run-'));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
