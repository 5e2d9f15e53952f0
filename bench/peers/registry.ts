/** Every backend the bench compares, in the order tables list them (churnkit first). */
import type { Backend, BackendId } from './backend.js';
import { churnkitBackend } from './churnkit.js';
import { onnxRuntimeBackend } from './onnxruntime.js';
import { plainJsBackend } from './plain-js.js';
import { tfjsBackend } from './tfjs.js';

export const BACKEND_IDS: readonly BackendId[] = [
  'churnkit-simd',
  'churnkit-scalar',
  'churnkit-js',
  'plain-js',
  'tfjs-wasm',
  'tfjs-cpu',
  'ort-node',
  'ort-web',
];

export function createBackend(id: BackendId): Backend {
  switch (id) {
    case 'churnkit-simd':
    case 'churnkit-scalar':
    case 'churnkit-js':
      return churnkitBackend(id);
    case 'plain-js':
      return plainJsBackend();
    case 'tfjs-wasm':
      return tfjsBackend('wasm');
    case 'tfjs-cpu':
      return tfjsBackend('cpu');
    case 'ort-node':
      return onnxRuntimeBackend('node');
    case 'ort-web':
      return onnxRuntimeBackend('web');
  }
}

export function isBackendId(value: string): value is BackendId {
  return (BACKEND_IDS as readonly string[]).includes(value);
}
