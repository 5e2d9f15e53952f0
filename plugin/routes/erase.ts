/**
 * `POST /customers/erase` (admin): erases a customer for a deletion request under data
 * protection law (GDPR art. 17, CCPA): their events, state, decisions and outcomes, from the
 * store (`ChurnStore.eraseCustomer`) and from this process's customer cache. 200 once the store
 * reports it done, durably, with what it removed (`ErasureReport`); 501 `ERASURE_UNSUPPORTED`
 * when the store cannot erase.
 */
import { ChurnkitError } from '../../src/errors.js';
import { ERASURE_UNSUPPORTED } from '../store/erasure-unsupported.js';
import { errorAnswer, inputErrorAnswer, inputErrorFromZod, jsonAnswer } from '../validation/http-error.js';
import { storeFailed, type Route } from './route.js';

export const eraseCustomerRoute: Route = {
  method: 'POST',
  path: '/customers/erase',
  body: 'json',
  admin: true,
  async handle(context, body) {
    const parsed = context.schemas.erasure.safeParse(body);
    if (!parsed.success) return inputErrorAnswer(inputErrorFromZod(parsed.error));
    const { customerId } = parsed.data;
    let removed;
    try {
      removed = await context.store.eraseCustomer(customerId);
    } catch (error) {
      if (error instanceof ChurnkitError && error.code === ERASURE_UNSUPPORTED) return errorAnswer(501, error.code, error.message);
      return storeFailed(context, { notDone: 'the customer was not erased', mayBeDone: 'the customer may have been erased' }, error, customerId);
    }
    return jsonAnswer({ erased: customerId, removed });
  },
};
