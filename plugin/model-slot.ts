/**
 * The model currently serving, swappable while requests are in flight. A request
 * captures the model once, at its start, and uses that object to the end, so a swap
 * never mixes two versions inside one response; the swap itself is one assignment,
 * made only after the new model is fully parsed, validated and loaded.
 */
import type { ServingModel } from './serving-model.js';

export interface ModelSlot {
  /** The serving model (waits for the first load if it is still in progress). */
  current(): ServingModel | Promise<ServingModel>;
  /** Replaces the serving model; requests that already captured the old one finish on it. */
  swap(model: ServingModel): void;
}

/**
 * A slot filled by `initial` (a loaded model, or a promise of one).
 *
 * @example
 * const slot = createModelSlot(loadFromOptions(options));
 * const model = await slot.current();
 */
export function createModelSlot(initial: ServingModel | Promise<ServingModel>): ModelSlot {
  let serving: ServingModel | null = null;
  let loading: Promise<ServingModel> | null = null;
  if (initial instanceof Promise) {
    loading = initial.then((model) => {
      // A swap may have happened while the first load was running: the newest wins.
      serving ??= model;
      return serving;
    });
    // The rejection is reported to every request that waits on it, never left unhandled.
    loading.catch(() => undefined);
  } else {
    serving = initial;
  }
  return {
    current: () => serving ?? loading!,
    swap(model) {
      serving = model;
    },
  };
}
