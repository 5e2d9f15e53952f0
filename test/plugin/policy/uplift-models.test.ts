/**
 * Uplift model files, as `churnkit uplift` writes them, load in the plugin and value its
 * actions on the request path; files that cannot make an uplift model are refused at
 * start-up with the file named.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { loadUpliftModels } from '../../../plugin/policy/load-uplift-models.node.js';
import { resolveOptions } from '../../../plugin/express/options.js';
import { createJsEngine } from '../../../src/engine/js-engine.js';
import { ModelFormatError, OptionsError } from '../../../src/errors.js';
import { serializeModel, decodeWeights } from '../../../src/model/model-file.js';
import { createRandom } from '../../../src/train/random.js';
import type { UpliftObservation } from '../../../src/uplift/observation.js';
import { trainUplift } from '../../../src/uplift/train-uplift.js';
import { testStorefront } from '../plugin-app.js';
import { TEST_MODEL_FIT, testModel, testModelFile } from '../test-model.js';

const engine = createJsEngine();
const folder = mkdtempSync(join(tmpdir(), 'churnkit-uplift-models-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A coupon log over the test model's features: the coupon keeps customers with few orders, not the others. */
function couponLog(rows: number): UpliftObservation[] {
  const random = createRandom(21);
  return Array.from({ length: rows }, (_, index) => {
    const orders = random.next() * 4;
    const features = { recency_days: Math.floor(random.next() * 300), log_orders_total: orders, log_refunds_total: 0, cart_items: 1, device: 'web' };
    const treated = random.next() < 0.8;
    const retention = 0.6 + (treated ? (orders < 2 ? 0.3 : -0.1) : 0);
    return { customerId: `c${index}`, ts: index, action: 'coupon', treated, retained: random.next() < retention, features };
  });
}

async function writeModels(method: 't-learner' | 'class-transformation', into: string): Promise<string[]> {
  const trained = await trainUplift(couponLog(3000), { engine, method, treatmentProbability: 0.8 });
  trained.dispose();
  mkdirSync(into, { recursive: true });
  return trained.files.map((file, index) => {
    const path = join(into, `coupon.${index}.json`);
    writeFileSync(path, JSON.stringify(file));
    return path;
  });
}

const tLearnerFiles = await writeModels('t-learner', join(folder, 't-learner'));
const transformedFiles = await writeModels('class-transformation', join(folder, 'class-transformation'));
const coupon = { name: 'coupon', cost: 5, successRate: 0.3 };

describe('uplift models in the plugin', () => {
  it('load from a folder and value the action by uplift on the request path, logging the features', async () => {
    const models = await loadUpliftModels([join(folder, 't-learner')], { engine });
    const shop = await testStorefront({ holdoutFraction: 0.05, customerValue: 100, policy: { actions: [coupon], uplift: { models, minDecisions: 500 } } });
    try {
      const persuadable = await request(shop.app).post('/churn/score').send({ customerId: 'few-orders', record: { log_orders_total: 0.5 } });
      const sleepingDog = await request(shop.app).post('/churn/score').send({ customerId: 'many-orders', record: { log_orders_total: 3.5 } });
      expect(persuadable.body.explanation).toMatch(/^coupon: EV \d+\.\d\d > none \[by uplift: coupon\]$/);
      expect(persuadable.body.action).toMatchObject({ name: 'coupon' });
      expect(sleepingDog.body.action).toBeNull();
      expect(sleepingDog.body.explanation).toMatch(/^none > coupon -\d+\.\d\d \[by uplift: coupon\]$/);
      const [logged] = await shop.store.decisionsSince('few-orders', 0);
      expect(logged!.features).toMatchObject({ log_orders_total: 0.5 });
    } finally {
      await shop.close();
    }
  });

  it('keep the expected value while the models learned from fewer decisions than minDecisions', async () => {
    const models = await loadUpliftModels(tLearnerFiles, { engine });
    const shop = await testStorefront({ holdoutFraction: 0.05, customerValue: 100, policy: { actions: [coupon], uplift: { models, minDecisions: 3001 } } });
    try {
      const answer = await request(shop.app).post('/churn/score').send({ customerId: 'c1', record: { log_orders_total: 0.5 } });
      expect(answer.body.explanation).not.toContain('by uplift');
    } finally {
      await shop.close();
    }
  });

  it('refuse a plain churn model, a missing arm, a malformed role and two methods for one action', async () => {
    const plain = join(folder, 'plain.json');
    writeFileSync(plain, JSON.stringify(await testModelFile()));
    await expect(loadUpliftModels([plain], { engine })).rejects.toThrow(/plain\.json: not an uplift model/);
    await expect(loadUpliftModels([tLearnerFiles[0]!], { engine })).rejects.toMatchObject({ code: 'MODEL_UPLIFT_ARM_MISSING' });
    await expect(loadUpliftModels([...tLearnerFiles, ...transformedFiles], { engine })).rejects.toMatchObject({ code: 'MODEL_UPLIFT_AMBIGUOUS' });
    const chosen = await loadUpliftModels([...tLearnerFiles, ...transformedFiles], { engine, method: 'class-transformation' });
    expect(chosen.byAction.get('coupon')!.method).toBe('class-transformation');

    const file = await testModelFile();
    const broken = await serializeModel({
      version: 'broken',
      architecture: file.architecture,
      featureSpec: file.featureSpec,
      parameters: decodeWeights(file),
      metadata: { ...file.metadata, options: { uplift: { method: 't-learner', action: 'coupon', arm: 'transformed', decisions: 10, holdoutDecisions: 2, treatmentProbability: 0.8 } } },
    });
    const error = await loadUpliftModels([broken], { engine }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as ModelFormatError).message).toMatch(/models\[0\]: metadata\.options\.uplift\.arm: expected treatment or control/);
  });

  it('refuse sources that give no uplift model, rather than a policy left on expected values without a word', async () => {
    // churnkit uplift's --out: the files are one folder down, per method.
    const out = join(folder, 'uplift-out');
    mkdirSync(join(out, 't-learner'), { recursive: true });
    for (const file of tLearnerFiles) copyFileSync(file, join(out, 't-learner', basename(file)));
    await expect(loadUpliftModels([out], { engine })).rejects.toMatchObject({
      code: 'MODEL_UPLIFT_NONE',
      message: `${out}: the folder holds no model files (.json); churnkit uplift writes each method's files in a folder of its own under --out: pass one of those (e.g. ${join(out, 'dr-learner')})`,
    });
    expect((await loadUpliftModels([join(out, 't-learner')], { engine })).byAction.has('coupon')).toBe(true);
    await expect(loadUpliftModels([join(folder, 't-learner')], { engine, method: 'dr-learner' })).rejects.toMatchObject({
      code: 'MODEL_UPLIFT_NONE',
      message: expect.stringMatching(/^no dr-learner model among the files given \([^)]*t-learner[^)]*coupon\.0\.json/),
    });
    await expect(loadUpliftModels([join(folder, 'missing')], { engine })).rejects.toMatchObject({ code: 'MODEL_UNREADABLE', message: `${join(folder, 'missing')}: model file not found` });
  });

  it('are refused by churn() when they read inputs the store does not produce, as the churn model is (MODEL_DOES_NOT_FIT)', async () => {
    const models = await loadUpliftModels(tLearnerFiles, { engine });
    const model = await testModel();
    const withFit = (modelFit: object | false) => () => resolveOptions({ model, identify: () => 'c1', modelFit: modelFit as never, policy: { actions: [coupon], uplift: { models } } }, {});
    // Trained where each request brought cart_items and device: a storefront that declares neither would score every customer with them missing.
    expect(withFit({})).toThrow(
      expect.objectContaining({
        code: 'MODEL_DOES_NOT_FIT',
        message: expect.stringMatching(
          /^churn\(\) option "policy\.uplift\.models": the t-learner model of action "coupon" \(uplift-coupon-t-learner-[^)]+\) does not fit this store: 2 of its 5 inputs \(40 %\) are neither features the store produces nor declared request features, and at most 25 % may be: cart_items, device\. /,
        ),
      }),
    );
    expect(withFit({ requestFeatures: ['cart_items', 'device'] })).not.toThrow();
    expect(withFit({ maxMissingShare: 0.5 })).not.toThrow();
    expect(withFit(false)).not.toThrow();
  });

  it('are refused by churn() for an action the policy does not have, without a hold-out, or when not loaded', async () => {
    const models = await loadUpliftModels(tLearnerFiles, { engine });
    const model = await testModel();
    // The coupon log's cart_items and device come with each request, as for the test model.
    const options = (policy: object, holdoutFraction = 0.1) => () => resolveOptions({ model, identify: () => 'c1', holdoutFraction, modelFit: TEST_MODEL_FIT, policy: policy as never }, {});
    expect(options({ actions: [{ name: 'email', cost: 0.1, successRate: 0.01 }], uplift: { models } })).toThrow(/a model for action "coupon", which is not in policy.actions \(email\)/);
    expect(options({ actions: [coupon], uplift: { models } }, 0)).toThrow(/needs a hold-out to keep learning from/);
    expect(options({ actions: [coupon], uplift: { models: tLearnerFiles } })).toThrow(/"policy.uplift.models": expected the result of loadUpliftModels/);
    expect(options({ actions: [coupon], uplift: { models, minDecisions: 0 } })).toThrow(OptionsError);
    expect(options({ actions: [coupon], exploration: 0.9 })).toThrow(/"policy.exploration"/);
    const resolved = resolveOptions({ model, identify: () => 'c1', modelFit: TEST_MODEL_FIT, policy: { actions: [coupon], uplift: { models } } }, {});
    expect(resolved.policy).toMatchObject({ logFeatures: true, exploration: { rate: 0, salt: 'churnkit-exploration' }, uplift: { minDecisions: 500 } });
    expect(resolveOptions({ model, identify: () => 'c1', policy: { actions: [coupon] } }, {}).policy).toMatchObject({ logFeatures: false, uplift: undefined });
  });
});
