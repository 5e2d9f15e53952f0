/**
 * Promoting a challenger to a running server: `PUT /churn/model` with the admin token. The
 * server parses, verifies and loads the file before swapping, so a refused file leaves its
 * model serving; a refusal or an unreachable server is a `ChurnkitError` naming the answer.
 */
import { ChurnkitError } from '../errors.js';
import type { ModelFileV1 } from '../model/model-file.js';

/** What the server answered: the version now serving and the one it replaced. */
export interface PromotionAnswer {
  version: string;
  previousVersion: string | null;
}

/**
 * Sends the model file to `url` (the plugin's model route, e.g. `https://shop.example/churn/model`).
 *
 * @example
 * await promoteToServer(file, 'http://127.0.0.1:3000/churn/model', process.env.CHURNKIT_ADMIN_TOKEN!);
 */
export async function promoteToServer(file: ModelFileV1, url: string, adminToken: string): Promise<PromotionAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(file),
    });
  } catch (error) {
    throw new ChurnkitError('RETRAIN_PROMOTE_UNREACHABLE', `could not reach ${url} to promote the challenger: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`, { cause: error });
  }
  const text = await response.text();
  if (!response.ok) {
    throw new ChurnkitError('RETRAIN_PROMOTE_REFUSED', `${url} refused the challenger with HTTP ${response.status}: ${text.slice(0, 300)}`);
  }
  try {
    return JSON.parse(text) as PromotionAnswer;
  } catch {
    throw new ChurnkitError('RETRAIN_PROMOTE_REFUSED', `${url} answered HTTP ${response.status} but not with the model route's JSON: ${text.slice(0, 300)}`);
  }
}
