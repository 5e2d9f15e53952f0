#!/usr/bin/env node
/**
 * An offline `npm audit --omit=dev`: the registry this project installs from refuses npm audit's
 * endpoint, so this lists the production dependencies the lockfile installs (every package not
 * marked dev) with their versions, and checks them against the advisories in
 * security/advisories.json (dated, each with its source). Exit 0 when none is affected, 1 when
 * some are (each listed), 2 when the inputs cannot be read.
 *
 *   node scripts/audit-lockfile.mjs [--lockfile package-lock.json] [--advisories security/advisories.json] [--list]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import semver from 'semver';

const root = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({
  options: {
    lockfile: { type: 'string', default: `${root}package-lock.json` },
    advisories: { type: 'string', default: `${root}security/advisories.json` },
    list: { type: 'boolean', default: false },
  },
});

/** Production packages of a lockfile (v2/v3 `packages` map): name, version and where they are installed. */
function productionPackages(lockfile) {
  const packages = [];
  for (const [path, entry] of Object.entries(lockfile.packages ?? {})) {
    if (path === '' || entry.dev || entry.link) continue;
    const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    packages.push({ name, version: entry.version, path });
  }
  return packages.sort((a, b) => a.name.localeCompare(b.name) || a.path.localeCompare(b.path));
}

let lockfile;
let catalogue;
try {
  lockfile = JSON.parse(readFileSync(values.lockfile, 'utf8'));
  catalogue = JSON.parse(readFileSync(values.advisories, 'utf8'));
} catch (error) {
  process.stderr.write(`audit-lockfile: ${error.message}\n`);
  process.exit(2);
}

const packages = productionPackages(lockfile);
const findings = [];
for (const pkg of packages) {
  for (const advisory of catalogue.advisories) {
    if (advisory.package === pkg.name && semver.satisfies(pkg.version, advisory.vulnerable, { includePrerelease: true })) findings.push({ pkg, advisory });
  }
}

if (values.list) for (const { name, version } of packages) process.stdout.write(`${name}@${version}\n`);
process.stdout.write(
  `${packages.length} production packages (${new Set(packages.map((pkg) => pkg.name)).size} distinct) checked against ${catalogue.advisories.length} advisories assembled ${catalogue.assembled}: ${findings.length} affected\n`,
);
for (const { pkg, advisory } of findings) {
  process.stdout.write(`${pkg.name}@${pkg.version} (${pkg.path}): ${advisory.id}${advisory.cve ? ` / ${advisory.cve}` : ''} ${advisory.severity}: ${advisory.summary}; vulnerable ${advisory.vulnerable}; ${advisory.source}\n`);
}
process.exit(findings.length > 0 ? 1 : 0);
