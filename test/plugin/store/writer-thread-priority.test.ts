/**
 * The SQLite writer thread runs at a lower priority than the event loop (plugin/background-priority.node.ts),
 * so that on a shared core a page request preempts it. Read back the way an operator would
 * check it: the nice value of each of this process's threads in /proc.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../plugin/store/sqlite-store.js';
import { BACKGROUND_NICE, lowerThreadPriority } from '../../../plugin/background-priority.node.js';

const root = mkdtempSync(join(tmpdir(), 'churnkit-writer-priority-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Each thread of this process and its nice value (field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(): Map<number, number> {
  return new Map(
    readdirSync('/proc/self/task').map((tid) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [Number(tid), Number(fields[19 - 3])];
    }),
  );
}

describe('SQLite writer thread priority', () => {
  it.skipIf(process.platform !== 'linux')('runs the writer thread, and only it, 10 nice steps below the event loop (Linux: the only platform with per-thread nice values; elsewhere this cannot run)', async () => {
    // Counted from this process's own nice value: the same under `nice npm test`.
    const loopNice = getPriority(process.pid);
    const WRITER_NICE = Math.min(19, loopNice + BACKGROUND_NICE);
    expect(WRITER_NICE).not.toBe(loopNice);
    const before = threadNiceValues();
    const store = openSqliteStore({ dataDir: join(root, 'store') });
    try {
      const started = [...threadNiceValues()].filter(([tid]) => !before.has(tid));
      expect(started.filter(([, nice]) => nice === WRITER_NICE)).toHaveLength(1);
      // The event loop (the thread whose id is the process id) keeps its priority.
      expect(threadNiceValues().get(process.pid)).toBe(before.get(process.pid));
      expect([...threadNiceValues()].filter(([, nice]) => nice !== loopNice && nice !== WRITER_NICE)).toEqual([]);
    } finally {
      await store.close();
    }
    expect([...threadNiceValues()].filter(([, nice]) => nice === WRITER_NICE)).toEqual([]);
  });

  it('leaves the priority alone where it would lower the whole process (macOS, Windows)', () => {
    // getPriority(), not /proc: this case runs on every platform.
    const nice = getPriority();
    expect(lowerThreadPriority(15, 'darwin')).toBe(false);
    expect(lowerThreadPriority(15, 'win32')).toBe(false);
    expect(getPriority()).toBe(nice);
  });
});
