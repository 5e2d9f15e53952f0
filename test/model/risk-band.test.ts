import { describe, expect, it } from 'vitest';
import { modelBandCutoffs, riskBand } from '../../src/model/risk-band.js';

describe('risk bands', () => {
  it('start high at the decision threshold and medium at half of it, each cut-off inside its band', () => {
    const cutoffs = modelBandCutoffs(0.4);
    expect(cutoffs).toEqual({ medium: 0.2, high: 0.4 });
    expect([0.4, 0.39, 0.2, 0.19].map((probability) => riskBand(probability, cutoffs))).toEqual(['high', 'medium', 'medium', 'low']);
  });
});
