/** One customer event, after parsing and validation (see docs/events.md). */
export interface ChurnEvent {
  customerId: string;
  /**
   * Optional idempotency key, unique per customer (a UUID, or the client's own event id): the
   * plugin's stores skip an event whose id the customer already has, so a retried batch is
   * never counted twice.
   */
  id?: string;
  /** Epoch milliseconds (UTC). */
  ts: number;
  /** session_start, page_view, search, add_to_cart, remove_from_cart, checkout_start, order, refund,
   *  review, support_ticket, coupon_redeemed, email_open, ... Unknown types are kept and ignored by features. */
  type: string;
  value?: number;
  quantity?: number;
  category?: string;
  rating?: number;
  channel?: string;
}
