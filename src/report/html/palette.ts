/**
 * Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
 * Series also differ by dash pattern, so no chart relies on colour alone.
 */
export const PALETTE = {
  model: '#0072B2',
  churned: '#D55E00',
  retained: '#0072B2',
  reference: '#6b7280',
  accent: '#009E73',
  highlight: '#CC79A7',
  warning: '#E69F00',
} as const;
