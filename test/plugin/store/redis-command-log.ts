/** A Redis client for the store tests that logs the name of every command the store sends through it. */
import { createClient } from 'redis';
import type { RedisCommandSender } from '../../../plugin/store/redis-store.js';

/**
 * A connected client, and a sender over it for `openRedisStore({ client })` that notes each
 * command's name in `sent` (to see which round trips a store makes).
 */
export async function loggingRedisClient(url: string): Promise<{ client: ReturnType<typeof createClient>; sender: RedisCommandSender; sent: string[] }> {
  const client = createClient({ url });
  await client.connect();
  const sent: string[] = [];
  const sender: RedisCommandSender = {
    sendCommand(args, options) {
      sent.push(String(args[0]));
      return client.sendCommand(args, options);
    },
  };
  return { client, sender, sent };
}
