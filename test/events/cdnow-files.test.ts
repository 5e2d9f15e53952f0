import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readEvents } from '../../src/events/read-events.node.js';
import { sharedDataset } from '../support/requirement.js';

const cdnow = sharedDataset('cdnow');
const dir = cdnow.path;

describe.skipIf(!cdnow.met)(cdnow.title('the published CDNOW files'), () => {
  async function summarise(file: string) {
    const customers = new Set<string>();
    let events = 0;
    let dollars = 0;
    let last = 0;
    for await (const event of readEvents(join(dir, file), { format: 'cdnow', strict: true })) {
      customers.add(event.customerId);
      events++;
      dollars += event.value!;
      last = Math.max(last, event.ts);
    }
    return { customers: customers.size, events, dollars: Math.round(dollars), last: new Date(last).toISOString() };
  }

  test('the master file: 69,659 purchases of 23,570 customers up to 1998-06-30', async () => {
    expect(await summarise('CDNOW_master.txt')).toMatchObject({ customers: 23_570, events: 69_659, last: '1998-06-30T00:00:00.000Z' });
  });

  test('the 1/10 sample: 6,919 purchases of 2,357 customers', async () => {
    expect(await summarise('CDNOW_sample.txt')).toMatchObject({ customers: 2_357, events: 6_919 });
  });
});
