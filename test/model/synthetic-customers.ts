import type { RawRecord } from '../../src/model/feature-spec.js';
import { createRandom } from '../../src/train/random.js';

/**
 * Small, learnable customer tables for unit tests: churn is more likely with short
 * tenure, complaints and cash-on-delivery payment. Messy on purpose (gaps, spelling
 * variants), like the real store exports.
 */
export function syntheticCustomers(count: number, seed = 7): RawRecord[] {
  const random = createRandom(seed);
  const payments = ['Credit Card', 'CC', 'Debit Card', 'COD', 'Cash on Delivery', 'UPI'];
  const rows: RawRecord[] = [];
  for (let i = 0; i < count; i++) {
    const tenure = Math.floor(random.next() * 30);
    const complain = random.next() < 0.3;
    const payment = payments[random.nextInt(payments.length)]!;
    const cod = payment === 'COD' || payment === 'Cash on Delivery';
    const logit = -1.5 - 0.15 * (tenure - 10) + (complain ? 1.5 : 0) + (cod ? 1 : 0) + random.nextGaussian() * 0.5;
    rows.push({
      CustomerID: 1000 + i,
      Churn: random.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0,
      Tenure: random.next() < 0.05 ? '' : tenure,
      Complain: complain ? 'yes' : 'no',
      PaymentMode: payment,
      CashbackAmount: Math.round(100 + random.next() * 200),
    });
  }
  return rows;
}
