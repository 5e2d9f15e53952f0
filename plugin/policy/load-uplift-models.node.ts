/**
 * Loading the uplift models the policy values actions with: model files written by
 * `churnkit uplift`, checked and loaded on an engine before the plugin starts, so a bad
 * file stops the storefront at start-up rather than at a customer's request.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine } from '../../src/engine/types.js';
import { ModelFormatError } from '../../src/errors.js';
import { assembleUpliftModels } from '../../src/uplift/uplift-model.js';
import type { UpliftMethod } from '../../src/uplift/uplift-role.js';
import { loadServingModel } from '../load-model.js';
import { nodeModelLoader } from '../node-model-loader.node.js';
import { upliftModels, type UpliftModels } from './uplift-models.js';

export type { UpliftModels } from './uplift-models.js';

/**
 * Loads uplift model files: paths, directories (every `.json` file in them) or parsed
 * model file objects. Throws `ModelFormatError` naming the file for a bad or missing file, a
 * plain churn model, a missing T-learner arm, or two methods for one action (unless `method`
 * picks one); and when the sources hold no uplift model (of `method`, if given) at all.
 *
 * @example
 * const uplift = await loadUpliftModels(['models/uplift/dr-learner']);
 * const plugin = churn({ model, identify, policy: { actions, uplift: { models: uplift } } });
 */
export async function loadUpliftModels(
  sources: readonly (string | object)[],
  options: { engine?: Engine; method?: UpliftMethod } = {},
): Promise<UpliftModels> {
  const loader = nodeModelLoader(options.engine);
  const files: { source: string | object; label: string }[] = [];
  for (const [index, source] of sources.entries()) {
    // A path that cannot be read is left to the model loader, which names it (MODEL_UNREADABLE).
    if (typeof source === 'string' && (await stat(source).catch(() => undefined))?.isDirectory() === true) {
      const names = (await readdir(source)).filter((name) => name.endsWith('.json')).sort();
      if (names.length === 0) {
        throw new ModelFormatError(
          'MODEL_UPLIFT_NONE',
          `the folder holds no model files (.json); churnkit uplift writes each method's files in a folder of its own under --out: pass one of those (e.g. ${join(source, 'dr-learner')})`,
          { file: source },
        );
      }
      files.push(...names.map((name) => ({ source: join(source, name), label: join(source, name) })));
    } else {
      files.push({ source, label: typeof source === 'string' ? source : `models[${index}]` });
    }
  }
  const loaded = await Promise.all(files.map(async ({ source, label }) => ({ model: await loadServingModel(source, loader), source: label })));
  const models = assembleUpliftModels(loaded, options.method);
  // An empty result would leave the policy on its expected values with nothing to say why.
  if (models.length === 0) {
    const given = files.map((file) => file.label).join(', ') || 'none';
    throw new ModelFormatError('MODEL_UPLIFT_NONE', `no ${options.method ?? 'uplift'} model among the files given (${given})`);
  }
  return upliftModels(models);
}
