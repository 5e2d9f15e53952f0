/**
 * Prints a warning on stderr, in the CLI's one format: something the user most likely did
 * not mean, while the command goes on.
 *
 * @example
 * warn('the fit did not converge');  // churnkit: warning: the fit did not converge
 */
export function warn(message: string): void {
  process.stderr.write(`churnkit: warning: ${message}\n`);
}
