/** A bench child's own peak memory. */
import { readFileSync } from 'node:fs';

/**
 * This process's own peak RSS. On Linux `resourceUsage().maxRSS` survives exec, so a child
 * forked from a big parent reports the parent's peak; VmHWM belongs to this process image only.
 */
export function peakResidentBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // No procfs (macOS, Windows): fall back to the portable figure.
  }
  return process.resourceUsage().maxRSS * 1024;
}
