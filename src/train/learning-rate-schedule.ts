/** How the learning rate moves over training. */
export type LearningRateSchedule = 'constant' | 'cosine' | 'step';

/** Share of steps spent warming up linearly from 10 % to the full rate (Adam's early moments are noisy). */
const WARMUP_SHARE = 0.03;
/** Cosine decays to this share of the initial rate rather than to zero, so the last epochs still learn. */
const COSINE_FLOOR = 0.02;
/** Step decay halves the rate at each quarter of training. */
const STEP_FACTOR = 0.5;
const STEP_PARTS = 4;

/**
 * The learning rate at optimizer step `step` of `totalSteps`.
 *
 * @example
 * learningRateAt('cosine', 0.01, 500, 1000); // ≈ 0.0051
 */
export function learningRateAt(schedule: LearningRateSchedule, initial: number, step: number, totalSteps: number): number {
  const progress = totalSteps > 0 ? Math.min(step / totalSteps, 1) : 0;
  const warmup = schedule === 'constant' || progress >= WARMUP_SHARE ? 1 : 0.1 + (0.9 * progress) / WARMUP_SHARE;
  switch (schedule) {
    case 'constant':
      return initial;
    case 'cosine':
      return initial * warmup * (COSINE_FLOOR + (1 - COSINE_FLOOR) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    case 'step':
      return initial * warmup * STEP_FACTOR ** Math.min(Math.floor(progress * STEP_PARTS), STEP_PARTS - 1);
  }
}
