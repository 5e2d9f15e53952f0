import { nice, ticks } from 'd3-array';

/** A linear map from a data interval onto a pixel interval, with round tick values. */
export interface LinearScale {
  (value: number): number;
  domain: readonly [number, number];
  ticks: number[];
}

/**
 * A linear scale over `domain` (extended to round numbers when `extend` is set)
 * onto `range`. Tick values come from d3-array: 1, 2 or 5 times a power of ten,
 * about `tickCount` of them. A domain of zero width is widened by one unit each
 * side, so a constant series still draws.
 *
 * @example
 * const x = linearScale([0, 1], [40, 440]);
 * x(0.5); // 240
 * x.ticks; // [0, 0.2, 0.4, 0.6, 0.8, 1]
 */
export function linearScale(domain: readonly [number, number], range: readonly [number, number], options: { tickCount?: number; extend?: boolean } = {}): LinearScale {
  const tickCount = options.tickCount ?? 5;
  let [low, high] = domain;
  if (!(high > low)) [low, high] = [low - 1, high + 1];
  if (options.extend) [low, high] = nice(low, high, tickCount);
  const [start, end] = range;
  const scale = ((value: number) => start + ((value - low) / (high - low)) * (end - start)) as LinearScale;
  scale.domain = [low, high];
  scale.ticks = ticks(low, high, tickCount);
  return scale;
}
