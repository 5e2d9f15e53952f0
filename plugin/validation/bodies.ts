/**
 * zod schemas of every request body the router accepts. Objects are strict (an unknown
 * key is a typo the caller wants to hear about), numbers must be finite, and lists are
 * bounded by the plugin's `batchLimit`.
 */
import { z } from './zod.js';
import { EXPECTED_AMOUNT, isUsableAmount } from '../../src/events/event-amount.js';
import { CUSTOMER_ID_MAX_LENGTH, CUSTOMER_ID_NOT_TEXT, isUnicodeText } from '../customer-id.js';
import { parseTimestamp } from '../../src/events/parse-event-fields.js';

/** An event's money or item count: finite (every number here is) and within the bound that keeps a customer's sums finite. */
const amount = z.number().refine(isUsableAmount, EXPECTED_AMOUNT);

const customerId = z
  .string()
  .trim()
  .min(1, 'expected a non-empty customer id')
  .max(CUSTOMER_ID_MAX_LENGTH, `expected at most ${CUSTOMER_ID_MAX_LENGTH} characters`)
  .refine(isUnicodeText, CUSTOMER_ID_NOT_TEXT);

/** A raw record: column → cell. Which columns and types a model accepts is checked against the model (record.ts). */
const record = z.record(
  z.string().max(100),
  z.union([z.string().max(1000), z.number(), z.boolean(), z.null()], 'expected a string, a finite number, a boolean or null'),
);

const timestamp = z.union([z.number(), z.string()]).transform((raw, context) => {
  const ms = parseTimestamp(raw);
  if (ms === undefined) {
    context.addIssue({ code: 'custom', message: 'expected epoch milliseconds or an ISO 8601 date/time' });
    return z.NEVER;
  }
  return ms;
});

export const scoreItemSchema = z.strictObject({ customerId: customerId.optional(), record: record.optional() });
export type ScoreItem = z.infer<typeof scoreItemSchema>;

const eventSchema = z.strictObject({
  customerId,
  /** Idempotency key, unique per customer: the stores skip an id the customer already has (a retried batch). */
  id: z.string().min(1, 'expected a non-empty event id').max(200, 'expected at most 200 characters').optional(),
  /** Defaults to the time the plugin received it. */
  ts: timestamp.optional(),
  type: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'expected an event type such as "order" or "page_view" (lower-case, digits, "_")'),
  value: amount.optional(),
  quantity: amount.optional(),
  category: z.string().max(200).optional(),
  rating: z.number().min(0).max(10).optional(),
  channel: z.string().max(40).optional(),
});

const outcomeSchema = z.strictObject({
  customerId,
  retained: z.boolean(),
  /** The action the outcome belongs to ("none" or null for none); default the customer's latest decision. */
  action: z.string().max(40).nullable().optional(),
  group: z.enum(['treatment', 'holdout']).optional(),
  ts: timestamp.optional(),
  value: amount.optional(),
});

/** The bodies, with the list bounds of one plugin instance. */
export function bodySchemas(batchLimit: number) {
  const limited = <T extends z.ZodType>(item: T) =>
    z.array(item).min(1, 'expected at least one item').max(batchLimit, `expected at most ${batchLimit} items`);
  return {
    score: scoreItemSchema,
    batch: z.strictObject({ items: limited(scoreItemSchema) }),
    events: z.strictObject({ events: limited(eventSchema) }),
    outcome: outcomeSchema,
    erasure: z.strictObject({ customerId }),
  };
}
