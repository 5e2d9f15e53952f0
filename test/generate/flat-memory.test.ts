import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, expect, test } from 'vitest';
import { writeStorefrontFiles } from '../../src/generate/write-storefront-files.node.js';

const dir = mkdtempSync(join(tmpdir(), 'churnkit-generate-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A forced collection makes "memory in use" a measurement instead of a guess about when V8
// last collected: V8 lets a context created after this flag see `gc`.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function liveBytes(): number {
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

test('memory stays flat while the event log grows: live memory rises far less than the bytes written', async () => {
  const out = join(dir, 'events.csv');
  const samples: number[] = [];
  let baseline = 0;
  await writeStorefrontFiles({
    customers: 4_000,
    days: 300,
    seed: 2,
    out,
    onDay: (daysDone) => {
      if (daysDone === 30) baseline = liveBytes();
      else if (daysDone > 30 && daysDone % 30 === 0) samples.push(liveBytes());
    },
  });
  const written = statSync(out).size;
  const growth = Math.max(...samples) - baseline;
  // Days 30 → 300 write about 40 MB; holding them would show as tens of MB of growth. What may
  // remain: one day's batch, one 1 MiB chunk and the stream's buffer.
  expect(written).toBeGreaterThan(30e6);
  expect(growth).toBeLessThan(6e6);
});
