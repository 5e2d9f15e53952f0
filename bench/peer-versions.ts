/** The installed versions of the peers, recorded with every run so figures can be reproduced. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export const PEER_PACKAGES = [
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-cpu',
  'onnxruntime-node',
  'onnxruntime-web',
  'onnx-proto',
] as const;

/** package name → installed version ("not installed" when it cannot be resolved). */
export function peerVersions(): Record<string, string> {
  return Object.fromEntries(PEER_PACKAGES.map((name) => [name, installedVersion(name)]));
}

function installedVersion(name: string): string {
  let folder: string;
  try {
    folder = dirname(require.resolve(name));
  } catch {
    return 'not installed';
  }
  // Some packages do not export their package.json: walk up from the entry file to it.
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === name) return parsed.version ?? 'unknown';
    }
    const parent = dirname(folder);
    if (parent === folder) return 'unknown';
    folder = parent;
  }
}
