/**
 * CPU time per event of `POST /churn/events`: the storefront's event-loop thread, and its
 * whole process (the SQLite writer thread, V8's helper threads), per event accepted. The
 * storefront (Express, the plugin's router at /churn, the SQLite store in a temp dir) runs in
 * a child process, so the load generator's own CPU is not counted; its threads' run times are
 * read from Linux schedstat (ns), which other processes on a shared machine move far less
 * than throughput.
 *
 * With `--baseline <dir>` (a build of another commit: its `dist/` inside `<dir>`), that
 * build's storefront runs beside this one, on a file of its own, in alternate blocks
 * (A B, B A, …): before/after from one run, as medians by speed level (a plain-JS
 * calibration block between rounds tells the level) and as the median of each round's ratio.
 *
 * @example
 *   npm run build && npm run bench:ingest -- --baseline /tmp/main-build --rounds 6
 *   node dist/bench/ingest-cpu.js --cpu-prof /tmp/prof   # this build only, profiled
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { postLoad, randomEvent } from './http-load.js';
import { bySpeedLevel, cpuOfCalibration } from './speed-levels.js';
import { median } from './stats.js';
import { repoRoot } from './repo-root.js';

const CUSTOMERS = 2_000;

/** The request shapes of bench:http's ingestion rows. */
const SHAPES = [
  { label: '50 events per request, 10 connections', eventsPerRequest: 50, connections: 10 },
  { label: '1 event per request, 10 connections', eventsPerRequest: 1, connections: 10 },
] as const;

interface Contender {
  name: string;
  child: ChildProcess;
  port: number;
}

/** Nanoseconds run by the child's main thread and by all its threads. */
function threadNanos(pid: number): { main: number; process: number } {
  const ran = (tid: string) => Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += ran(tid);
    } catch {
      // A thread that ended between the listing and the read ran nothing more to count.
    }
  }
  return { main: ran(String(pid)), process: total };
}

/** The storefront child: Express with the plugin of the build in `root`, on a SQLite store in `dataDir`. */
async function serve(root: string, dataDir: string): Promise<void> {
  const dist = (path: string) => pathToFileURL(join(root, 'dist', path)).href;
  const express = (await import('express')).default;
  const { churn } = (await import(dist('plugin/express/index.js'))) as typeof import('../plugin/express/index.js');
  const { openSqliteStore } = (await import(dist('plugin/store/sqlite-store.js'))) as typeof import('../plugin/store/sqlite-store.js');
  const plugin = churn({ model: join(repoRoot(), 'models', 'storefront.json'), store: openSqliteStore({ dataDir }), identify: (req) => req.get('x-customer-id') });
  await plugin.ready();
  const app = express();
  app.use('/churn', plugin.router());
  const server: Server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
  });
  // An exit, not a kill, so that `--cpu-prof` writes its profile.
  process.on('SIGTERM', () => process.exit(0));
}

function start(name: string, root: string, dataDir: string, nodeFlags: string[]): Promise<Contender> {
  const child = spawn(process.execPath, [...nodeFlags, fileURLToPath(import.meta.url), '--serve', root, '--data', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ready, fail) => {
    child.once('exit', (code) => fail(new Error(`${name}: the storefront exited (${code}) before listening`)));
    child.stdout!.once('data', (chunk: Buffer) => ready({ name, child, port: (JSON.parse(chunk.toString()) as { port: number }).port }));
  });
}

interface Block {
  contender: string;
  shape: string;
  events: number;
  mainMicrosPerEvent: number;
  processMicrosPerEvent: number;
  eventsPerSecond: number;
  calibrationUs: number;
}

async function measure(contender: Contender, shape: (typeof SHAPES)[number], seconds: number, customerIds: string[]): Promise<Omit<Block, 'calibrationUs'>> {
  const body = () => ({ events: Array.from({ length: shape.eventsPerRequest }, () => randomEvent(customerIds)) });
  const before = threadNanos(contender.child.pid!);
  const result = await postLoad(contender.port, '/churn/events', seconds, body, { connections: shape.connections });
  const after = threadNanos(contender.child.pid!);
  const events = result['2xx'] * shape.eventsPerRequest;
  if (result.non2xx + result.errors > 0) throw new Error(`${contender.name}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  return {
    contender: contender.name,
    shape: shape.label,
    events,
    mainMicrosPerEvent: (after.main - before.main) / 1000 / events,
    processMicrosPerEvent: (after.process - before.process) / 1000 / events,
    eventsPerSecond: events / result.duration,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      serve: { type: 'string' },
      data: { type: 'string' },
      baseline: { type: 'string' },
      rounds: { type: 'string', default: '6' },
      seconds: { type: 'string', default: '4' },
      'cpu-prof': { type: 'string' },
      /** Events per request of the shapes to run: `50`, `1` or both (default). */
      shape: { type: 'string', multiple: true },
    },
  });
  if (values.serve !== undefined) return serve(values.serve, values.data!);
  const shapes = SHAPES.filter((shape) => values.shape === undefined || values.shape.includes(String(shape.eventsPerRequest)));
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  const dataDir = mkdtempSync(join(tmpdir(), 'churnkit-ingest-cpu-'));
  const profileFlags = values['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(values['cpu-prof'])}`];
  const contenders = [await start('this build', repoRoot(), join(dataDir, 'new'), profileFlags)];
  if (values.baseline !== undefined) contenders.push(await start('baseline', resolve(values.baseline), join(dataDir, 'base'), []));
  const customerIds = Array.from({ length: CUSTOMERS }, (_, i) => `ingest-${i}`);
  const blocks: Block[] = [];
  try {
    for (const contender of contenders) for (const shape of shapes) await measure(contender, shape, 1, customerIds);
    for (let round = 1; round <= rounds; round++) {
      const calibrationUs = cpuOfCalibration();
      const order = round % 2 === 1 ? contenders : [...contenders].reverse();
      for (const shape of shapes) {
        for (const contender of order) {
          const block = { ...(await measure(contender, shape, seconds, customerIds)), calibrationUs };
          blocks.push(block);
          console.log(
            `round ${round} ${block.contender}, ${block.shape}: main thread ${block.mainMicrosPerEvent.toFixed(2)} µs/event, ` +
              `process ${block.processMicrosPerEvent.toFixed(2)} µs/event, ${Math.round(block.eventsPerSecond)} events/s (calibration ${calibrationUs} µs)`,
          );
        }
      }
    }
  } finally {
    for (const contender of contenders) contender.child.kill('SIGTERM');
    await Promise.all(contenders.map((contender) => new Promise((done) => contender.child.once('exit', done))));
    rmSync(dataDir, { recursive: true, force: true });
  }
  const levels = bySpeedLevel(blocks);
  console.log(`\n${levels.note}`);
  for (const [level, levelBlocks] of [['fast', levels.fast], ['slow', levels.slow]] as const) {
    for (const shape of shapes) {
      for (const contender of contenders) {
        const mine = levelBlocks.filter((block) => block.contender === contender.name && block.shape === shape.label);
        if (mine.length === 0) continue;
        console.log(
          `${level} level, ${shape.label}, ${contender.name} (${mine.length} blocks): main thread ${median(mine.map((block) => block.mainMicrosPerEvent)).toFixed(2)} µs/event, ` +
            `process ${median(mine.map((block) => block.processMicrosPerEvent)).toFixed(2)} µs/event, ${Math.round(median(mine.map((block) => block.eventsPerSecond)))} events/s`,
        );
      }
    }
  }
  if (contenders.length === 2) {
    // The machine's speed moved within rounds (a block's µs/event by 3x), more than the
    // calibration between rounds shows: the pairs, measured back to back, compare best.
    console.log('');
    for (const shape of shapes) {
      const pairs = blocks.filter((block) => block.shape === shape.label && block.contender === contenders[0]!.name);
      const ratios = (per: (block: Block) => number) =>
        pairs.map((mine, index) => per(mine) / per(blocks.filter((block) => block.shape === shape.label && block.contender === contenders[1]!.name)[index]!));
      const describe = (values: number[]) => `${median(values).toFixed(3)} (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;
      console.log(
        `${shape.label}, ${contenders[0]!.name} / ${contenders[1]!.name}, median of ${pairs.length} rounds' ratios (range): ` +
          `main thread µs/event ${describe(ratios((block) => block.mainMicrosPerEvent))}, process µs/event ${describe(ratios((block) => block.processMicrosPerEvent))}`,
      );
    }
  }
}

await main();
