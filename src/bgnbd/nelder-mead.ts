/**
 * A Nelder–Mead simplex minimiser. BG/NBD has four parameters and a smooth,
 * cheap likelihood, so a derivative-free method with restarts reaches the
 * optimum reliably without deriving the gradient (see docs/bgnbd.md).
 */

/** Result of a minimisation: the best point, its value and how it ended. */
export interface MinimiseResult {
  point: number[];
  value: number;
  evaluations: number;
  converged: boolean;
}

/** Resolved settings (the caller validates them). */
export interface NelderMeadSettings {
  /** Initial simplex edge length in each coordinate. */
  step: number;
  /** Stop when the simplex's values and coordinates spread less than this. */
  tolerance: number;
  maxEvaluations: number;
}

/**
 * Minimises `objective` from `start`, restarting a fresh simplex at the best
 * point until a restart no longer improves it (a collapsed simplex can stall
 * away from the optimum; restarting is the standard remedy). Non-finite
 * objective values are treated as +Infinity.
 */
export function minimise(objective: (point: number[]) => number, start: number[], settings: NelderMeadSettings): MinimiseResult {
  let evaluations = 0;
  const evaluate = (point: number[]): number => {
    evaluations++;
    const value = objective(point);
    return Number.isFinite(value) ? value : Infinity;
  };
  let best = { point: start.slice(), value: evaluate(start) };
  let converged = false;
  while (evaluations < settings.maxEvaluations) {
    const round = runSimplex(evaluate, best.point, settings, () => evaluations);
    const improved = best.value - round.value;
    if (round.value <= best.value) best = round;
    if (round.converged && improved <= settings.tolerance) {
      converged = true;
      break;
    }
  }
  return { point: best.point, value: best.value, evaluations, converged };
}

function runSimplex(
  evaluate: (point: number[]) => number,
  start: number[],
  settings: NelderMeadSettings,
  spent: () => number,
): { point: number[]; value: number; converged: boolean } {
  const dimensions = start.length;
  const vertices: number[][] = [start.slice()];
  for (let d = 0; d < dimensions; d++) {
    const vertex = start.slice();
    vertex[d]! += settings.step;
    vertices.push(vertex);
  }
  const values = vertices.map(evaluate);
  const order = vertices.map((_, index) => index);
  let converged = false;
  while (spent() < settings.maxEvaluations) {
    order.sort((left, right) => values[left]! - values[right]!);
    const bestIndex = order[0]!;
    const worstIndex = order[dimensions]!;
    const secondWorstIndex = order[dimensions - 1]!;
    if (simplexSpread(vertices, values, bestIndex) < settings.tolerance) {
      converged = true;
      break;
    }
    const centroid = new Array<number>(dimensions).fill(0);
    for (const index of order.slice(0, dimensions)) {
      for (let d = 0; d < dimensions; d++) centroid[d]! += vertices[index]![d]! / dimensions;
    }
    const towards = (scale: number): number[] =>
      centroid.map((centre, d) => centre + scale * (vertices[worstIndex]![d]! - centre));
    const reflected = towards(-1);
    const reflectedValue = evaluate(reflected);
    if (reflectedValue < values[bestIndex]!) {
      const expanded = towards(-2);
      const expandedValue = evaluate(expanded);
      const useExpanded = expandedValue < reflectedValue;
      vertices[worstIndex] = useExpanded ? expanded : reflected;
      values[worstIndex] = useExpanded ? expandedValue : reflectedValue;
    } else if (reflectedValue < values[secondWorstIndex]!) {
      vertices[worstIndex] = reflected;
      values[worstIndex] = reflectedValue;
    } else {
      const outside = reflectedValue < values[worstIndex]!;
      const contracted = towards(outside ? -0.5 : 0.5);
      const contractedValue = evaluate(contracted);
      if (contractedValue < (outside ? reflectedValue : values[worstIndex]!)) {
        vertices[worstIndex] = contracted;
        values[worstIndex] = contractedValue;
      } else {
        for (const index of order.slice(1)) {
          vertices[index] = vertices[index]!.map((coordinate, d) => vertices[bestIndex]![d]! + 0.5 * (coordinate - vertices[bestIndex]![d]!));
          values[index] = evaluate(vertices[index]!);
        }
      }
    }
  }
  order.sort((left, right) => values[left]! - values[right]!);
  return { point: vertices[order[0]!]!, value: values[order[0]!]!, converged };
}

function simplexSpread(vertices: number[][], values: number[], bestIndex: number): number {
  let spread = 0;
  for (let index = 0; index < vertices.length; index++) {
    spread = Math.max(spread, Math.abs(values[index]! - values[bestIndex]!));
    for (let d = 0; d < vertices[index]!.length; d++) {
      spread = Math.max(spread, Math.abs(vertices[index]![d]! - vertices[bestIndex]![d]!));
    }
  }
  return spread;
}
