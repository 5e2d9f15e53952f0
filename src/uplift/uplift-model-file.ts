/** Writing an uplift role into a trained model file (and signing it again). */
import { decodeWeights, serializeModel, type ModelFileV1 } from '../model/model-file.js';
import type { UpliftRole } from './uplift-role.js';

/**
 * The same model file with `metadata.options.uplift` set to `role`, a version naming the
 * role, and a fresh checksum. Still a format v1 file: any churnkit reader loads it.
 *
 * @example
 * const file = await withUpliftRole(trained.file, { method: 't-learner', action: 'coupon', arm: 'control', ... });
 */
export async function withUpliftRole(file: ModelFileV1, role: UpliftRole, version?: string): Promise<ModelFileV1> {
  return serializeModel({
    version: version ?? `uplift-${role.action}-${role.method}-${role.arm}-${file.metadata.trainedAt.replace(/[-:]/g, '').slice(0, 15)}`,
    architecture: file.architecture,
    featureSpec: file.featureSpec,
    parameters: decodeWeights(file),
    metadata: { ...file.metadata, options: { ...file.metadata.options, uplift: { ...role } } },
  });
}
