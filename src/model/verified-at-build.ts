/**
 * Model files the package's build has already verified: the shipped model (`churnkit/models`)
 * passed `parseModelFile` (bounded parse, schema, checksum, weights) and `loadModel`'s probes
 * on every engine when scripts/embed-models.ts wrote it, so a storefront's boot need not pay
 * for them again (about two thirds of its CPU: the canonical JSON and SHA-256 of the file, and
 * scoring some hundred probe records).
 *
 * Only the code that embedded the model marks it, on a copy it made itself and hands straight
 * to `loadModel`, which takes the mark off (so a file returned by `toFile()` and edited is
 * checked in full like any other). Every file a user supplies keeps every check.
 */
import type { ModelFileV1 } from './model-file-schema.js';

const verifiedAtBuild = new WeakSet<object>();

/** Marks a model file that the build verified; returns it. Not public API: `churnkit/models` calls it. */
export function markVerifiedAtBuild(file: ModelFileV1): ModelFileV1 {
  verifiedAtBuild.add(file);
  return file;
}

/** Whether `file` was marked by `markVerifiedAtBuild`; takes the mark off, so it answers true once. */
export function takeBuildVerification(file: ModelFileV1): boolean {
  return verifiedAtBuild.delete(file);
}
