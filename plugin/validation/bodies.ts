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

/** What is wrong with a customer id (trimmed), or undefined: the rules of every route that takes one. */
function customerIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'expected a non-empty customer id';
  if (id.length > CUSTOMER_ID_MAX_LENGTH) return `expected at most ${CUSTOMER_ID_MAX_LENGTH} characters`;
  return isUnicodeText(id) ? undefined : CUSTOMER_ID_NOT_TEXT;
}

/** The issue zod reports for a broken rule: `problem`, at `path` (relative to the checked value). */
function reportProblem(payload: z.core.ParsePayload, problem: string | undefined, path: PropertyKey[] = []): void {
  if (problem !== undefined) payload.issues.push({ code: 'custom', message: problem, input: payload.value, path });
}

/** Trimmed first: " c-42 " is c-42. */
const customerId = z
  .string()
  .trim()
  .check((payload) => reportProblem(payload, customerIdProblem(payload.value)));

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

/**
 * An event's fields. The rules of those on every event (ids, type, amounts: `checkEventRules`)
 * are checked on the event zod has parsed rather than by the fields' own schemas: a field
 * schema with a check of its own makes zod allocate its result where it otherwise does not,
 * and with those checks a batch of 50 validated in 0.70 µs and 1,780 bytes an event, without
 * them in 0.39 µs and 1,090 bytes.
 */
const eventFields = {
  customerId: z.string(),
  /** Idempotency key, unique per customer: the stores skip an id the customer already has (a retried batch). */
  id: z.string().optional(),
  /** Defaults to the time the plugin received it. */
  ts: timestamp.optional(),
  type: z.string(),
  value: z.number().optional(),
  quantity: z.number().optional(),
  category: z.string().max(200).optional(),
  rating: z.number().min(0).max(10).optional(),
  channel: z.string().max(40).optional(),
};

const EVENT_TYPE = /^[a-z][a-z0-9_]{0,39}$/;
const EXPECTED_EVENT_TYPE = 'expected an event type such as "order" or "page_view" (lower-case, digits, "_")';

/** Each field's place in the event, for the order of issues; an issue of the whole event (unknown keys) comes last. */
const EVENT_FIELD_ORDER = new Map<PropertyKey, number>(Object.keys(eventFields).map((field, place) => [field, place]));

function placeInEvent(issue: z.core.$ZodRawIssue): number {
  return EVENT_FIELD_ORDER.get(issue.path?.[0] ?? '') ?? EVENT_FIELD_ORDER.size;
}

/**
 * The rules of an event's fields, on zod's parsed event (its own object, trimmed in place): the
 * customer id's, the event id's (1 to 200 characters), the type's and the amounts'. A field of
 * the wrong type has no rule checked, as when they were its schema's checks, so each field has
 * issues of one kind; they are then put in the order of the fields, so that every issue, and
 * the first, the one answered, is where the fields' own checks put it.
 */
function checkEventRules(payload: z.core.ParsePayload): void {
  if (typeof payload.value !== 'object' || payload.value === null) return;
  const event = payload.value as Record<string, unknown>;
  const issuesBefore = payload.issues.length;
  if (typeof event.customerId === 'string') {
    const id = event.customerId.trim();
    event.customerId = id;
    reportProblem(payload, customerIdProblem(id), ['customerId']);
  }
  if (typeof event.id === 'string') {
    reportProblem(payload, event.id.length === 0 ? 'expected a non-empty event id' : event.id.length > 200 ? 'expected at most 200 characters' : undefined, ['id']);
  }
  if (typeof event.type === 'string' && !EVENT_TYPE.test(event.type)) reportProblem(payload, EXPECTED_EVENT_TYPE, ['type']);
  if (typeof event.value === 'number' && !isUsableAmount(event.value)) reportProblem(payload, EXPECTED_AMOUNT, ['value']);
  if (typeof event.quantity === 'number' && !isUsableAmount(event.quantity)) reportProblem(payload, EXPECTED_AMOUNT, ['quantity']);
  if (issuesBefore > 0 && payload.issues.length > issuesBefore) payload.issues.sort((a, b) => placeInEvent(a) - placeInEvent(b));
}

// Checked even when a field has the wrong type (zod skips a check then by default): the other fields' rules still hold.
const eventSchema = z.strictObject(eventFields).check(z.core._check(checkEventRules, { when: () => true }));

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
