// Presence across instances, in Redis: each instance keeps one HASH of the sessions it holds a
// socket for (`…:i:<instance>`, session id → "userId organizationId"), and the instances'
// heartbeats in one sorted set (score: until when the instance counts as alive). An instance that
// is SIGKILLed stops beating: past the TTL its sessions count as offline, and the first instance
// to beat after that reaps its HASH (kept twice the TTL for that) and tells their OFFLINE. Every command is one Lua script
// (one round trip, atomic): whether a session went online or offline across every instance is
// decided in the same step as the write, and a list's `online` is one call however long the list.
// Redis's own clock (TIME) is used, not the instances': their skew does not matter.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PresenceRef } from './notices.js';

const valueOf = (r: PresenceRef): string => `${r.userId} ${r.organizationId}`;
const pairsOf = (refs: PresenceRef[]): string[] => refs.flatMap((r) => [r.sessionId, valueOf(r)]);

const INSTANCES = 'session-gateway:presence:instances';
const SET_PREFIX = 'session-gateway:presence:i:';
const TIMEOUT_MS = 1000;

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function elsewhere(self, insts, id)
  for _, inst in ipairs(insts) do
    if inst ~= self and redis.call('HEXISTS', ARGV[1] .. inst, id) == 1 then return true end
  end
  return false
end
`;

/** KEYS: instances, own hash. ARGV: prefix, instance, ttl, count online, (id, value) online…, ids offline…. Returns the global transitions. */
const APPLY = `${NOW}
local ttl = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[2])
local insts = redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')
local last = 4 + 2 * tonumber(ARGV[4])
local on, off = {}, {}
for i = 5, last, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  if not elsewhere(ARGV[2], insts, ARGV[i]) then on[#on + 1] = ARGV[i] end
end
for i = last + 1, #ARGV do
  redis.call('HDEL', KEYS[2], ARGV[i])
  if not elsewhere(ARGV[2], insts, ARGV[i]) then off[#off + 1] = ARGV[i] end
end
redis.call('PEXPIRE', KEYS[2], 2 * ttl)
return {on, off}`;

/**
 * KEYS: instances, own hash. ARGV: prefix, instance, ttl, (id, value) held…: the whole hash written
 * again (repairs a write lost while Redis was away). Reaps the instances past their TTL (ZREM: one
 * reaper each) and returns (id, value) of their sessions that no live instance holds.
 */
const BEAT = `${NOW}
local ttl = tonumber(ARGV[3])
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + ttl, ARGV[2])
local insts = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
redis.call('DEL', KEYS[2])
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[2], 2 * ttl)
local gone = {}
for _, inst in ipairs(dead) do
  if inst ~= ARGV[2] and redis.call('ZREM', KEYS[1], inst) == 1 then
    local all = redis.call('HGETALL', ARGV[1] .. inst)
    redis.call('DEL', ARGV[1] .. inst)
    for i = 1, #all, 2 do
      if not elsewhere('', insts, all[i]) then
        gone[#gone + 1] = all[i]
        gone[#gone + 1] = all[i + 1]
      end
    end
  end
end
return gone`;

/** KEYS: instances. ARGV: prefix, ids…. Returns 1 or 0 per id: held by an instance still beating. */
const READ = `${NOW}
local insts = redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')
local out = {}
for i = 2, #ARGV do
  out[#out + 1] = elsewhere('', insts, ARGV[i]) and 1 or 0
end
return out`;

export class RedisPresence {
  private readonly redis: Redis;
  readonly instance = randomUUID();
  private readonly ownKey: string;

  constructor(
    url: string,
    private readonly ttlMs: number,
    log: Logger,
  ) {
    this.ownKey = SET_PREFIX + this.instance;
    this.redis = new Redis(url, { enableAutoPipelining: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: TIMEOUT_MS, retryStrategy: (n: number) => Math.min(n * 200, 2000) });
    this.redis.on('error', (err: Error) => log.debug({ err: err.message }, 'presence redis error'));
  }

  /** Writes this instance's transitions; returns those that are transitions across every instance. */
  async apply(online: PresenceRef[], offline: PresenceRef[]): Promise<{ online: Set<string>; offline: Set<string> }> {
    const args = [SET_PREFIX, this.instance, this.ttlMs, online.length, ...pairsOf(online), ...offline.map((r) => r.sessionId)];
    const [on, off] = (await this.redis.eval(APPLY, 2, INSTANCES, this.ownKey, ...args)) as [string[], string[]];
    return { online: new Set(on), offline: new Set(off) };
  }

  /** Beats with every session held here; returns the sessions of dead instances it reaped that no live instance holds. */
  async beat(held: PresenceRef[]): Promise<PresenceRef[]> {
    const gone = (await this.redis.eval(BEAT, 2, INSTANCES, this.ownKey, SET_PREFIX, this.instance, this.ttlMs, ...pairsOf(held))) as string[];
    const refs: PresenceRef[] = [];
    for (let i = 0; i + 1 < gone.length; i += 2) {
      const [userId = '', organizationId = ''] = (gone[i + 1] ?? '').split(' ');
      refs.push({ sessionId: gone[i] as string, userId, organizationId });
    }
    return refs;
  }

  /** The sessions of `ids` that some live instance holds a socket for: one round trip. */
  async read(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const flags = (await this.redis.eval(READ, 1, INSTANCES, SET_PREFIX, ...ids)) as number[];
    return new Set(ids.filter((_, i) => flags[i] === 1));
  }

  /** `clear` (a clean stop of the writer): this instance's sessions are offline at once, not after the TTL. */
  async close(clear: boolean): Promise<void> {
    if (clear) await Promise.all([this.redis.del(this.ownKey), this.redis.zrem(INSTANCES, this.instance)]).catch(() => undefined);
    this.redis.disconnect();
  }
}
