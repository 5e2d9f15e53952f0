import type { Random } from './random.js';

/**
 * Splits row indices into training and validation parts with the same churn rate
 * in both (each class is shuffled and cut separately), so a 17 % churn rate does
 * not become 12 % in a small validation part by chance. Indices come back sorted.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  validationFraction: number,
  random: Random,
): { train: number[]; validation: number[] } {
  const train: number[] = [];
  const validation: number[] = [];
  for (const label of [0, 1]) {
    const members: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === label) members.push(i);
    random.shuffle(members);
    const held = Math.round(members.length * validationFraction);
    validation.push(...members.slice(0, held));
    train.push(...members.slice(held));
  }
  const ascending = (a: number, b: number) => a - b;
  return { train: train.sort(ascending), validation: validation.sort(ascending) };
}
