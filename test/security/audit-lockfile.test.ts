import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = resolve(import.meta.dirname, '../../scripts/audit-lockfile.mjs');
const folder = mkdtempSync(join(tmpdir(), 'churnkit-audit-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function audit(...args: string[]) {
  const run = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the offline audit of the lockfile (npm run audit:offline)', () => {
  it('finds no production dependency of the committed lockfile among the committed advisories', () => {
    const run = audit('--list');
    expect(run.stdout).toMatch(/^zod@4\.\d+\.\d+$/m);
    expect(run.stdout).toMatch(/\d+ production packages .* checked against \d+ advisories assembled \d{4}-\d{2}-\d{2}: 0 affected\n$/);
    expect(run.status, run.stdout).toBe(0);
  });

  it('names every affected package with the advisory, and ignores dev dependencies', () => {
    const lockfile = join(folder, 'package-lock.json');
    writeFileSync(lockfile, JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': { name: 'shop' },
        'node_modules/express': { version: '4.18.2' },
        'node_modules/debug': { version: '4.4.2' },
        'node_modules/router/node_modules/path-to-regexp': { version: '8.3.0' },
        'node_modules/qs': { version: '6.17.1' },
        'node_modules/minimist': { version: '1.2.5', dev: true },
      },
    }));
    const run = audit('--lockfile', lockfile);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^4 production packages .*: 5 affected$/m);
    expect(run.stdout).toMatch(/^express@4\.18\.2 \(node_modules\/express\): GHSA-rv95-896h-c2vc/m);
    expect(run.stdout).toMatch(/^debug@4\.4\.2 .*MAL-2025-debug critical: malicious release/m);
    expect(run.stdout).toMatch(/^path-to-regexp@8\.3\.0 \(node_modules\/router\/node_modules\/path-to-regexp\): GHSA-j3q9-mxjg-w52f/m);
    expect(run.stdout).not.toMatch(/minimist|^qs@/m);
  });

  it('exits 2 when the lockfile cannot be read', () => {
    expect(audit('--lockfile', join(folder, 'absent.json')).status).toBe(2);
  });
});
