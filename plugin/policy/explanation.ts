/** The one-line, human-readable account of a decision stored with it and returned to callers. */
import { formatNumber } from '../../src/explain/readable-number.js';

/**
 * Lists the options still allowed best first, e.g. `coupon: EV 4.10 > care 2.30 > none`
 * (or `none > care -0.50` when nothing pays), then the actions that were ruled out:
 * `care: EV 2.30 > none; skipped coupon (cooldown: ...)`. Actions ruled out by the budget
 * are in `skipped`, so the first entry is always the one chosen. In the hold-out it is
 * only what *would* have been issued. Values that came from an action's uplift model rather
 * than from the expected value are named (`[by uplift: coupon]`), and an explored decision,
 * whose action was drawn at random, says so first.
 *
 * @example
 * explainDecision({ none: 0, coupon: 4.1, care: 2.3 }, {}, 'treatment');
 * // 'coupon: EV 4.10 > care 2.30 > none'
 * explainDecision({ none: 0, coupon: 4.1, care: -2 }, {}, 'treatment', { byUplift: ['coupon'], explored: { action: 'care', rate: 0.05 } });
 * // 'explored care at random (rate 0.05); coupon: EV 4.10 > none > care -2.00 [by uplift: coupon]'
 */
export function explainDecision(
  expectedValues: Readonly<Record<string, number>>,
  skipped: Readonly<Record<string, string>>,
  group: 'treatment' | 'holdout',
  notes: { byUplift?: readonly string[]; explored?: { action: string; rate: number } } = {},
): string {
  const ranked = Object.entries({ ...expectedValues, none: 0 })
    .filter(([name]) => !(name in skipped))
    // "none" wins ties: an action worth exactly nothing is not taken.
    .sort((a, b) => b[1] - a[1] || (a[0] === 'none' ? -1 : b[0] === 'none' ? 1 : 0));
  const parts = ranked.map(([name, value], index) => {
    if (name === 'none') return 'none';
    const money = formatNumber(value, 2);
    return index === 0 ? `${name}: EV ${money}` : `${name} ${money}`;
  });
  const skippedText = Object.entries(skipped).map(([name, reason]) => `${name} (${reason})`);
  let line = skippedText.length > 0 ? `${parts.join(' > ')}; skipped ${skippedText.join(', ')}` : parts.join(' > ');
  if (notes.byUplift !== undefined && notes.byUplift.length > 0) line = `${line} [by uplift: ${notes.byUplift.join(', ')}]`;
  if (notes.explored !== undefined) line = `explored ${notes.explored.action} at random (rate ${notes.explored.rate}); ${line}`;
  return group === 'holdout' ? `holdout, nothing issued; would be ${line}` : line;
}
