/**
 * Promoting a challenger to a running server: `PUT /churn/model` with the admin token. The
 * server parses, verifies and loads the file before swapping, so a refused file leaves its
 * model serving; a refusal, an unreachable server or one that does not answer in time is a
 * `ChurnkitError` naming the answer.
 */
import { ChurnkitError } from '../errors.js';
import type { ModelFileV1 } from '../model/model-file.js';

/** What the server answered: the version now serving and the one it replaced. */
export interface PromotionAnswer {
  version: string;
  previousVersion: string | null;
}

/** How long a promotion waits for the whole answer by default: a retrain run from cron must end. */
export const DEFAULT_PROMOTE_TIMEOUT_MS = 60_000;

/**
 * Sends the model file to `url` (the plugin's model route, e.g. `https://shop.example/churn/model`)
 * and waits at most `timeoutMs` for the whole answer.
 *
 * @example
 * await promoteToServer(file, 'http://127.0.0.1:3000/churn/model', process.env.CHURNKIT_ADMIN_TOKEN!);
 */
export async function promoteToServer(file: ModelFileV1, url: string, adminToken: string, { timeoutMs = DEFAULT_PROMOTE_TIMEOUT_MS }: { timeoutMs?: number } = {}): Promise<PromotionAnswer> {
  // One signal for the request and the body: a server that sends headers and then stalls is as stuck as one that never answers.
  const signal = AbortSignal.timeout(timeoutMs);
  const timedOut = (error: unknown) =>
    signal.aborted
      ? new ChurnkitError('RETRAIN_PROMOTE_TIMEOUT', `${url} did not answer the promotion within ${timeoutMs / 1000} s (--promote-timeout); the challenger may or may not serve there: check GET ${url}`, { cause: error })
      : null;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(file),
      signal,
    });
  } catch (error) {
    throw timedOut(error) ?? new ChurnkitError('RETRAIN_PROMOTE_UNREACHABLE', `could not reach ${url} to promote the challenger: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`, { cause: error });
  }
  try {
    text = await response.text();
  } catch (error) {
    throw timedOut(error) ?? new ChurnkitError('RETRAIN_PROMOTE_UNREACHABLE', `${url} broke off its answer to the promotion: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) {
    throw new ChurnkitError('RETRAIN_PROMOTE_REFUSED', `${url} refused the challenger with HTTP ${response.status}: ${text.slice(0, 300)}`);
  }
  try {
    return JSON.parse(text) as PromotionAnswer;
  } catch {
    throw new ChurnkitError('RETRAIN_PROMOTE_REFUSED', `${url} answered HTTP ${response.status} but not with the model route's JSON: ${text.slice(0, 300)}`);
  }
}
