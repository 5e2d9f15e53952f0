/**
 * `churnkit/engine`: the kernel on its own, for networks fed by their caller (no model file, no
 * feature encoding): `loadEngine`, then `engine.createNetwork(shape)`, `setParameters`,
 * `predictRow`. The same classes as `churnkit` (one core: an `EngineError` thrown here is the one
 * `churnkit` exports), in a fraction of its code, so a cold start that needs only the kernel does
 * not parse the whole core. Runtime-neutral like `churnkit`.
 */
export { ChurnkitError, OptionsError, InputError, EngineError, type InputLocation } from '../errors.js';
export type { Activation, Engine, EngineKind, Network, NetworkShape } from './types.js';
export { loadEngine, type LoadEngineOptions, type KernelSource } from './load-engine.js';
