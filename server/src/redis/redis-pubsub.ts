import { Cluster } from 'ioredis';
import type { RedisClient } from './redis-connection';

/**
 * PUBLISH, answering how many subscribers of the whole deployment receive the message. On one server that is
 * PUBLISH's own reply. In a cluster a message reaches the subscribers of every node, but PUBLISH counts only those
 * of the node it ran on — so the subscribers of every node are counted first (PUBSUB NUMSUB). One that subscribes
 * in between is not counted (it receives the message anyway); one that leaves in between is (its answer never
 * comes, and callers wait with a bound).
 */
export async function publishToAll(client: RedisClient, channel: string, message: string): Promise<number> {
  if (!(client instanceof Cluster)) return client.publish(channel, message);
  const counts = await Promise.all(
    client.nodes('all').map(async (node) => Number(((await node.pubsub('NUMSUB', channel)) as unknown[])[1])),
  );
  await client.publish(channel, message);
  return counts.reduce((a, b) => a + b, 0);
}
