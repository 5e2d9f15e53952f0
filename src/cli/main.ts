#!/usr/bin/env node
/**
 * The `churnkit` command line. Each command lives in `commands/<name>.ts` and registers
 * itself on the program; this file lists them, loads only the one being run, and turns
 * errors into one clear line on stderr and an exit code.
 *
 * Commands are imported lazily: each pulls in its own dependencies (the engine, arquero,
 * csv-parse, zod), and `churnkit --version`, `--help` or `features` should not pay for
 * all of them.
 */
import { Command, CommanderError } from 'commander';
import { boundedMessage, ChurnkitError } from '../errors.js';
import { packageVersion } from './package-version.js';
import { silenceProgress } from './progress.js';
import { refuseRepeatedOptions } from './repeated-options.js';
import { removeTemporariesOnSignals } from '../node/pending-temporaries.js';

interface CommandEntry {
  name: string;
  /** The line `churnkit --help` shows; the command's own module says the same (a test checks). */
  description: string;
  /** Imports the command's module and returns its register function. */
  load: () => Promise<(program: Command) => void>;
}

/** Every command, in the order `--help` lists them. Adding one is one line here. */
const COMMANDS: readonly CommandEntry[] = [
  { name: 'train', description: 'train a churn model on a labelled CSV file', load: async () => (await import('./commands/train.js')).registerTrain },
  { name: 'eval', description: 'evaluate a model on a labelled CSV file', load: async () => (await import('./commands/eval.js')).registerEval },
  { name: 'predict', description: 'score customers in a CSV file: probability, risk band and top reasons', load: async () => (await import('./commands/predict.js')).registerPredict },
  { name: 'cv', description: 'stratified k-fold cross-validation of a model configuration', load: async () => (await import('./commands/cv.js')).registerCv },
  { name: 'features', description: 'compute per-customer churn features (and labels) from an event log', load: async () => (await import('./commands/features.js')).registerFeatures },
  { name: 'generate', description: 'write a synthetic storefront event log (and its ground truth) for a seed', load: async () => (await import('./commands/generate.js')).registerGenerate },
  { name: 'bgnbd', description: 'fit the BG/NBD small-store model (P(alive), expected purchases) to an order log', load: async () => (await import('./commands/bgnbd.js')).registerBgNbd },
  { name: 'report', description: 'write a self-contained HTML report evaluating a model on a labelled CSV file', load: async () => (await import('./commands/report.js')).registerReport },
  { name: 'tune', description: "search the trainer's settings by cross-validation and write the best model", load: async () => (await import('./commands/tune.js')).registerTune },
  { name: 'retrain', description: "retrain from the plugin's store, compare with the serving model out of time, promote if better", load: async () => (await import('./commands/retrain.js')).registerRetrain },
  { name: 'simulate', description: 'run a retention campaign with the real policy on the simulated store; write the store and its ground truth', load: async () => (await import('./commands/simulate.js')).registerSimulate },
  { name: 'uplift', description: "train and evaluate uplift models (one per action) from the policy's logged decisions and outcomes", load: async () => (await import('./commands/uplift.js')).registerUplift },
  { name: 'challenger', description: "compare the challenger model with the serving one on the same customers, from the plugin's store", load: async () => (await import('./commands/challenger.js')).registerChallenger },
  { name: 'doctor', description: 'show the runtime, SIMD support, the kernel file and the engine this installation uses', load: async () => (await import('./commands/doctor.js')).registerDoctor },
];

const program = new Command('churnkit')
  .description('Churn scoring for online stores: train, evaluate, explain, engineer features from event logs.')
  .version(packageVersion())
  .option('-q, --quiet', 'no progress bars on stderr (they are shown only on a terminal anyway)')
  .showHelpAfterError()
  .exitOverride()
  .hook('preAction', (_program, command) => {
    if (command.optsWithGlobals().quiet) silenceProgress();
  });

// A reader that stops early (`churnkit predict | head`) closes the pipe: the output is no longer
// wanted, so the command ends quietly instead of dying on an unhandled EPIPE with a stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`churnkit: cannot write to standard output: ${error.message}\n`);
  process.exit(1);
});

// Ctrl-C or `kill` in the middle of a write leaves no temporary file (or half-built store) behind.
removeTemporariesOnSignals();

try {
  const requested = requestedCommand(process.argv.slice(2));
  if (requested !== undefined && !COMMANDS.some((entry) => entry.name === requested)) {
    // Before commander sees a --help that would print the main help and exit 0: a typo in a
    // script's command must fail the script.
    const names = COMMANDS.map((entry) => entry.name).join(', ');
    program.error(`error: unknown command '${requested}' (the commands are ${names}; see churnkit --help)`, { exitCode: 2, code: 'churnkit.unknownCommand' });
  }
  for (const entry of COMMANDS) {
    // Only the requested command is imported; the others are listed for --help.
    if (entry.name === requested) {
      (await entry.load())(program);
      refuseRepeatedOptions(program.commands.find((command) => command.name() === requested)!);
    } else program.command(entry.name).description(entry.description);
  }
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

/** The command a command line names: its first word that is not an option (`help <command>` names the second). */
function requestedCommand(args: readonly string[]): string | undefined {
  const words = args.filter((arg) => !arg.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed the usage problem (or the help / version text).
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof ChurnkitError) {
    // An output named as a pipe (`--out /dev/stdout | head`) whose reader stopped: as above.
    if ((error.cause as NodeJS.ErrnoException | undefined)?.code === 'EPIPE') return 0;
    process.stderr.write(`churnkit: ${error.message}\n`);
    return 1;
  }
  process.stderr.write(`churnkit: unexpected error: ${boundedMessage(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
  return 1;
}
