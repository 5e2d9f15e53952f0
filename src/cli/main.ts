#!/usr/bin/env node
/**
 * The `churnkit` command line. Each command lives in `commands/<name>.ts` and
 * registers itself on the program; this file only wires them up and turns
 * errors into one clear line on stderr and an exit code.
 */
import { Command, CommanderError } from 'commander';
import { ChurnkitError } from '../errors.js';
import { registerTrain } from './commands/train.js';
import { registerEval } from './commands/eval.js';
import { registerPredict } from './commands/predict.js';
import { registerCv } from './commands/cv.js';
import { registerFeatures } from './commands/features.js';
import { registerGenerate } from './commands/generate.js';
import { registerBgNbd } from './commands/bgnbd.js';
import { registerReport } from './commands/report.js';
import { registerTune } from './commands/tune.js';
import { packageVersion } from './package-version.js';

const program = new Command('churnkit')
  .description('Churn scoring for online stores: train, evaluate, explain, engineer features from event logs.')
  .version(packageVersion())
  .showHelpAfterError()
  .exitOverride();

for (const register of [registerTrain, registerEval, registerPredict, registerCv, registerFeatures, registerGenerate, registerBgNbd, registerReport, registerTune]) {
  register(program);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed the usage problem (or the help / version text).
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof ChurnkitError) {
    process.stderr.write(`churnkit: ${error.message}\n`);
    return 1;
  }
  process.stderr.write(`churnkit: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}
