import { isIP } from 'node:net';

export interface RedisNode {
  host: string;
  port: number;
}

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?$/;

/**
 * `host:port,host:port,…` (REDIS_CLUSTER_NODES, REDIS_SENTINELS) as nodes; an IPv6 address goes in brackets,
 * `[::1]:7000`. Returns a message naming the first bad entry instead.
 */
export function parseRedisNodes(name: string, value: string): RedisNode[] | { problem: string } {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const example = `e.g. ${name}=redis-1:6379,redis-2:6379`;
  if (entries.length === 0) return { problem: `${name} must list host:port entries, ${example}` };
  const nodes: RedisNode[] = [];
  for (const entry of entries) {
    const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(entry);
    const host = match?.[1].replace(/^\[|\]$/g, '');
    const port = Number(match?.[2]);
    const hostOk =
      host !== undefined && (isIP(host) !== 0 || (!match![1].startsWith('[') && HOST_NAME.test(host)));
    if (!match || !hostOk || port < 1 || port > 65535)
      return { problem: `${name} has a bad entry "${entry}": each must be host:port, ${example}` };
    nodes.push({ host: host!, port });
  }
  return nodes;
}
