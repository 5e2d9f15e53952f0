/**
 * Event times are epoch milliseconds (UTC). A day is the unit that windows, horizons,
 * cooldowns and budgets are counted in, everywhere above the event layer.
 */
export const DAY_MS = 86_400_000;
