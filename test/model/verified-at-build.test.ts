import { describe, expect, it } from 'vitest';
import { createJsEngine } from '../../src/engine/js-engine.js';
import { ModelFormatError } from '../../src/errors.js';
import { loadModel } from '../../src/model/churn-model.js';
import { parseModelFile, serializeModel } from '../../src/model/model-file.js';
import { markVerifiedAtBuild } from '../../src/model/verified-at-build.js';
import { fixtureModel } from './model-fixture.js';

const { contents } = await fixtureModel('mlp');
const engine = createJsEngine();
/** A model that passes every format check but scores the training mean with NaN: only the probes refuse it. */
const overflowing = await serializeModel({ ...contents, parameters: Float32Array.from(contents.parameters, () => 3e38) });

describe('a model file the build verified', () => {
  it('skips loadModel\'s probes: the build ran them (the mark is what skips them, shown on a file that would fail them)', () => {
    expect(() => loadModel(engine, structuredClone(overflowing))).toThrow(ModelFormatError);
    expect(() => loadModel(engine, markVerifiedAtBuild(structuredClone(overflowing))).dispose()).not.toThrow();
  });

  it('is trusted once: loading the same object again (e.g. toFile() after an edit) runs every probe', () => {
    const file = markVerifiedAtBuild(structuredClone(overflowing));
    loadModel(engine, file).dispose();
    expect(() => loadModel(engine, file)).toThrow(ModelFormatError);
  });

  it('is never a file that came through parseModelFile, which checks everything on every call', async () => {
    const parsed = await parseModelFile(JSON.stringify(overflowing));
    expect(() => loadModel(engine, parsed)).toThrow(ModelFormatError);
  });
});
