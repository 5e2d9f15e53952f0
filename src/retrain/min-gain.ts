/** The default promotion margin: the challenger must beat the champion by this much ROC AUC (out of time). */
export const DEFAULT_MIN_GAIN = 0.005;
