/** The order of the lift report's rows in every store: by action, then by group. */
import type { Group } from './types.js';

export function byActionThenGroup(a: { action: string; group: Group }, b: { action: string; group: Group }): number {
  if (a.action !== b.action) return a.action < b.action ? -1 : 1;
  return a.group < b.group ? -1 : a.group > b.group ? 1 : 0;
}
