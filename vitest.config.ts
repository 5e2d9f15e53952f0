import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'plugin/**/*.test.ts'],
    // The run's own temporary folder, removed at its end (test/support/run-tmpdir.ts), and in it a
    // scratch folder for the packed package, installed on first use (test/package/installed-package.ts).
    globalSetup: ['test/support/run-tmpdir.ts', 'test/package/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more workers only fight over them.
    maxWorkers: 2,
    // Worker threads the code under test starts (the SQLite store's writer) load the
    // project's TypeScript sources natively: these hooks let Node resolve and transpile them.
    execArgv: ['--import', './test/plugin/store/register-typescript.mjs'],
  },
});
