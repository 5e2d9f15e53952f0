/**
 * CSV bytes for generated events, and text for the ground truth. Encoding is
 * the hot path of `churnkit generate` (ten million rows a minute on a shared
 * machine), so rows are written straight into byte chunks: no string per row,
 * no `Date` per row, nothing for the garbage collector. Timestamps are the
 * day's `YYYY-MM-DDT` prefix plus `hh:mm:ssZ`; amounts are written in cents
 * as `12.30`.
 */
import { KNOWN_EVENT_TYPES } from '../events/event-types.js';
import type { DayBatch } from './day-batch.js';
import { CATEGORIES, CHANNELS } from './segments.js';
import type { CustomerTruth } from './storefront-simulation.js';

/** The event log columns (docs/events.md). */
const EVENT_CSV_HEADER = 'customer_id,ts,type,value,quantity,category,rating,channel\n';
export const TRUTH_CSV_HEADER = 'customer_id,segment,signed_up_at,churned_at,coupon_responsive,bad_experiences,orders\n';

const CHUNK_BYTES = 1 << 20;
/** Room always kept free at the end of a chunk: longer than any row. */
const ROW_RESERVE = 1024;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const COLON = 0x3a;
const DOT = 0x2e;
const MINUS = 0x2d;
const ZERO = 0x30;
const ZULU = 0x5a;

const ascii = new TextEncoder();
const TYPE_BYTES = KNOWN_EVENT_TYPES.map((name) => ascii.encode(name));
const CATEGORY_BYTES = CATEGORIES.map((name) => ascii.encode(name));
const CHANNEL_BYTES = CHANNELS.map((name) => ascii.encode(name));

/** Encodes day batches into ~1 MiB chunks ready for a write stream. */
export class EventCsvEncoder {
  private chunk = new Uint8Array(CHUNK_BYTES);
  private position = 0;
  private completed: Uint8Array[] = [];
  private readonly idBytes: Uint8Array;
  private readonly idOffsets: Uint32Array;

  /** @param customerIds the ids that batch rows' customer indices refer to (ASCII). */
  constructor(customerIds: readonly string[]) {
    this.idBytes = ascii.encode(customerIds.join(''));
    this.idOffsets = new Uint32Array(customerIds.length + 1);
    for (let index = 0; index < customerIds.length; index++) this.idOffsets[index + 1] = this.idOffsets[index]! + customerIds[index]!.length;
    this.writeBytes(ascii.encode(EVENT_CSV_HEADER));
  }

  /** Appends the batch's rows in time order; `datePrefix` is the day as `YYYY-MM-DDT`. */
  encodeDay(batch: DayBatch, datePrefix: string): void {
    const prefix = ascii.encode(datePrefix);
    for (let position = 0; position < batch.count; position++) {
      if (this.position > CHUNK_BYTES - ROW_RESERVE) this.startChunk();
      const row = batch.order[position]!;
      const customer = batch.customer[row]!;
      for (let at = this.idOffsets[customer]!, end = this.idOffsets[customer + 1]!; at < end; at++) this.byte(this.idBytes[at]!);
      this.byte(COMMA);
      this.writeBytes(prefix);
      const second = batch.second[row]!;
      this.twoDigits((second / 3600) | 0);
      this.byte(COLON);
      this.twoDigits(((second / 60) | 0) % 60);
      this.byte(COLON);
      this.twoDigits(second % 60);
      this.byte(ZULU);
      this.byte(COMMA);
      this.writeBytes(TYPE_BYTES[batch.type[row]!]!);
      this.byte(COMMA);
      const value = batch.value[row]!;
      if (!Number.isNaN(value)) this.cents(Math.round(value * 100));
      this.byte(COMMA);
      const quantity = batch.quantity[row]!;
      if (quantity !== 0) this.integer(quantity);
      this.byte(COMMA);
      const category = batch.category[row]!;
      if (category >= 0) this.writeBytes(CATEGORY_BYTES[category]!);
      this.byte(COMMA);
      const rating = batch.rating[row]!;
      if (rating !== 0) this.integer(rating);
      this.byte(COMMA);
      const channel = batch.channel[row]!;
      if (channel >= 0) this.writeBytes(CHANNEL_BYTES[channel]!);
      this.byte(NEWLINE);
    }
  }

  /** Hands over the chunks filled so far (the one being filled stays). */
  takeCompleted(): Uint8Array[] {
    const completed = this.completed;
    this.completed = [];
    return completed;
  }

  /** Hands over everything, including the partly filled last chunk. */
  finish(): Uint8Array[] {
    this.startChunk();
    return this.takeCompleted();
  }

  private startChunk(): void {
    if (this.position > 0) this.completed.push(this.chunk.subarray(0, this.position));
    this.chunk = new Uint8Array(CHUNK_BYTES);
    this.position = 0;
  }

  private byte(code: number): void {
    this.chunk[this.position++] = code;
  }

  private writeBytes(bytes: Uint8Array): void {
    // A plain loop beats `set` for the few bytes of a field.
    for (let index = 0; index < bytes.length; index++) this.chunk[this.position++] = bytes[index]!;
  }

  private twoDigits(value: number): void {
    this.chunk[this.position++] = ZERO + ((value / 10) | 0);
    this.chunk[this.position++] = ZERO + (value % 10);
  }

  private integer(value: number): void {
    if (value < 0) {
      this.byte(MINUS);
      value = -value;
    }
    const start = this.position;
    do {
      this.chunk[this.position++] = ZERO + (value % 10);
      value = Math.floor(value / 10);
    } while (value > 0);
    this.chunk.subarray(start, this.position).reverse();
  }

  private cents(total: number): void {
    if (total < 0) {
      this.byte(MINUS);
      total = -total;
    }
    this.integer(Math.floor(total / 100));
    this.byte(DOT);
    this.twoDigits(total % 100);
  }
}

/** One ground-truth row; `churned_at` is empty for customers who never decided to leave. */
export function formatTruthRow(truth: CustomerTruth): string {
  const churnedAt = truth.churnedMs === null ? '' : new Date(truth.churnedMs).toISOString();
  return (
    `${truth.customerId},${truth.segment},${new Date(truth.signedUpMs).toISOString()},${churnedAt},` +
    `${truth.couponResponsive ? 1 : 0},${truth.badExperiences},${truth.orders}\n`
  );
}
