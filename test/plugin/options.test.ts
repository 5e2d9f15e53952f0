import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { churn } from '../../plugin/express/index.js';
import { resolveOptions, type ChurnOptions } from '../../plugin/express/options.js';
import { OptionsError } from '../../src/errors.js';
import { testModel } from './test-model.js';

const model = await testModel();
const identify = () => 'c1';

/** Options as a caller might wrongly pass them: deliberately not typed as ChurnOptions. */
function rejects(options: Record<string, unknown>, message: RegExp) {
  const attempt = () => resolveOptions({ model, identify, ...options } as ChurnOptions, {});
  expect(attempt).toThrow(OptionsError);
  expect(attempt).toThrow(message);
}

describe('churn() options', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveOptions({ model, identify }, {});
    expect(resolved).toMatchObject({
      dataDir: './data',
      adminToken: undefined,
      storeTimeoutMs: 5,
      cacheTtlMs: 5000,
      cacheMaxAgeMs: 60_000,
      bands: undefined, // each serving model's own cut-offs (src/model/risk-band.ts)
      batchLimit: 1000,
      bodyLimit: '1mb',
    });
    expect(resolved.policy).toMatchObject({ actions: [], holdoutFraction: 0.1, dailyBudget: Infinity, capWindowMs: 30 * 86_400_000 });
    expect(resolved.policy.customerValue({})).toBe(100);
  });

  it('names the option a misspelt key means when only its case is wrong, at any depth, and guesses nothing else', () => {
    rejects({ cacheTTLMs: 0 }, /^churn\(\) has no option "cacheTTLMs" \(did you mean "cacheTtlMs"\?\)$/);
    rejects({ holdOutFraction: 0.2 }, /\(did you mean "holdoutFraction"\?\)$/);
    rejects({ policy: { actions: [{ name: 'coupon', cost: 1, successRate: 0.1, CooldownMs: 5 }] } }, /^churn\(\) has no option "policy\.actions\.0\.CooldownMs" \(did you mean "policy\.actions\.0\.cooldownMs"\?\)$/);
    rejects({ policy: { actions: [], CapWindowMs: 5 } }, /has no option "policy\.CapWindowMs" \(did you mean "policy\.capWindowMs"\?\)$/);
    rejects({ cacheTtl: 0 }, /^churn\(\) has no option "cacheTtl"$/);
    rejects({ cachettlms: 0, holdoutfraction: 0 }, /^churn\(\) has no options "cachettlms", "holdoutfraction"$/);
  });

  it('keeps cacheMaxAgeMs at least cacheTtlMs, and nothing when the cache is off', () => {
    expect(resolveOptions({ model, identify, cacheTtlMs: 120_000 }, {}).cacheMaxAgeMs).toBe(120_000);
    expect(resolveOptions({ model, identify, cacheTtlMs: 0 }, {}).cacheMaxAgeMs).toBe(0);
    expect(resolveOptions({ model, identify, cacheTtlMs: 1000, cacheMaxAgeMs: 1000 }, {}).cacheMaxAgeMs).toBe(1000);
  });

  it('takes the admin token and data directory from the environment', () => {
    const resolved = resolveOptions({ model, identify }, { CHURNKIT_ADMIN_TOKEN: 'env-token-0123456789', CHURNKIT_DATA_DIR: '/tmp/x' });
    expect(resolved.adminToken).toBe('env-token-0123456789');
    expect(resolved.dataDir).toBe('/tmp/x');
  });

  it('gives actions their defaults', () => {
    const resolved = resolveOptions({ model, identify, policy: { actions: [{ name: 'coupon', cost: 5, successRate: 0.2 }] } }, {});
    expect(resolved.policy.actions[0]).toEqual({
      name: 'coupon',
      cost: 5,
      successRate: 0.2,
      cooldownMs: 7 * 86_400_000,
      maxPerCustomer: Infinity,
      eligibility: [],
    });
  });

  it.each([
    [{ identifY: identify }, /has no option "identifY" \(did you mean "identify"\?\)/],
    [{ identify: 'header' }, /option "identify": expected a function/],
    [{ holdoutFraction: 1 }, /option "holdoutFraction"/],
    [{ holdoutFraction: Number.NaN }, /option "holdoutFraction"/],
    [{ storeTimeoutMs: 0 }, /option "storeTimeoutMs"/],
    [{ cacheTtlMs: -1 }, /option "cacheTtlMs"/],
    [{ cacheTtlMs: Number.NaN }, /option "cacheTtlMs"/],
    [{ cacheMaxAgeMs: -1 }, /option "cacheMaxAgeMs"/],
    [{ cacheTtlMs: 10_000, cacheMaxAgeMs: 5000 }, /option "cacheMaxAgeMs": 5000 is less than cacheTtlMs \(10000\)/],
    [{ bands: { medium: 0.7, high: 0.6 } }, /option "bands": expected medium < high/],
    [{ batchLimit: 2.5 }, /option "batchLimit"/],
    [{ adminToken: 'short' }, /option "adminToken": expected at least 16 characters/],
    [{ bodyLimit: 'lots' }, /option "bodyLimit"/],
    [{ policy: { actions: [{ name: 'coupon', cost: -1, successRate: 0.2 }] } }, /option "policy.actions.0.cost"/],
    [{ policy: { actions: [{ name: 'coupon', cost: 1, successRate: 1.5 }] } }, /option "policy.actions.0.successRate"/],
    [{ policy: { actions: [{ name: 'none', cost: 1, successRate: 0.5 }] } }, /reserved/],
    [{ policy: { actions: [{ name: 'a', cost: 1, successRate: 0.5 }, { name: 'a', cost: 2, successRate: 0.5 }] } }, /distinct action names/],
    [{ policy: { actions: [{ name: 'a', cost: 1, successRate: 0.5, eligibility: [{ feature: 'x' }] }] } }, /atLeast.*atMost/],
    [{ policy: { actions: [{ name: 'a', cost: 1, successRate: 0.5, cooldown: 5 }] } }, /policy.actions.0/],
    [{ model: 42 }, /option "model"/],
  ])('rejects %j at construction', (options, message) => {
    rejects(options, message);
  });

  it('rejects a short CHURNKIT_ADMIN_TOKEN instead of running with a guessable one', () => {
    expect(() => resolveOptions({ model, identify }, { CHURNKIT_ADMIN_TOKEN: 'abc' })).toThrow(/CHURNKIT_ADMIN_TOKEN/);
  });
});

describe('churn() model loading', () => {
  it('reports a model file that cannot be loaded through ready(), not at the first request', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'churnkit-options-'));
    const plugin = churn({ model: join(dataDir, 'missing.json'), identify, dataDir });
    try {
      // A ModelFormatError naming the file, as churnkit/node's readModelFile gives, not a bare ENOENT.
      await expect(plugin.ready()).rejects.toMatchObject({ name: 'ModelFormatError', code: 'MODEL_UNREADABLE', message: expect.stringMatching(/missing\.json: model file not found/) });
    } finally {
      await plugin.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('names a missing model file given by a relative path where it was looked for: in the working directory, wherever the server was started from', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'churnkit-options-'));
    const plugin = churn({ model: 'models/storefront-missing.json', identify, dataDir });
    try {
      await expect(plugin.ready()).rejects.toMatchObject({
        code: 'MODEL_UNREADABLE',
        message: `${join(process.cwd(), 'models/storefront-missing.json')}: model file not found`,
      });
    } finally {
      await plugin.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
