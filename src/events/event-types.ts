/**
 * The event types the features know about. Any other type is kept by the readers and the
 * stores (a storefront may send its own) and simply contributes to no feature except the
 * overall activity counts.
 */
export const KNOWN_EVENT_TYPES = [
  'session_start',
  'page_view',
  'search',
  'add_to_cart',
  'remove_from_cart',
  'checkout_start',
  'order',
  'refund',
  'review',
  'support_ticket',
  'coupon_redeemed',
  'email_open',
] as const;

export type KnownEventType = (typeof KNOWN_EVENT_TYPES)[number];

/** The channels given their own share feature; every other non-empty channel counts as "other". */
export const KNOWN_CHANNELS = ['web', 'app', 'social'] as const;
