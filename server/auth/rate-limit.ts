// Abuse limits on sign-in, sign-up and password change, kept by rate-limiter-flexible in one
// database table (RateLimiterPrisma) that every instance shares, on PGlite and PostgreSQL alike.
//
// Sign-in follows OWASP's "Blocking Brute Force Attacks" and the library's login-endpoint
// example: failures count per (account, address) pair and per address, and a success clears the
// pair's. Per account there is only a larger budget, past which the account is paced (one attempt
// per delay) instead of locked, and never for an address it was signed in from: a guesser can slow
// an account down, not lock its owner out.
import { hash } from 'node:crypto';
import { RateLimiterPrisma, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../process/config.js';
import type { PrismaClient } from '../db/client.js';

export type RateLimits = Config['rateLimits'];

/** An attempt that was let through. It counts as a failure unless `succeeded` takes it back. */
export interface Attempt {
  succeeded(): Promise<void>;
}

export type RateDecision = { allowed: true; attempt: Attempt } | { allowed: false; retryAfterSeconds: number };

/** How long an address a user signed in from stays exempt from the account's pacing. */
const KNOWN_ADDRESS_SECONDS = 30 * 24 * 60 * 60;

const nothingToTakeBack: Attempt = { succeeded: async () => {} };

/**
 * The key under which an e-mail's attempts are counted: letter case, "+tags" and (for Gmail)
 * dots in the local part all reach the same mailbox, so they count together.
 */
export function accountKey(email: string): string {
  const [local = '', domain = ''] = email.trim().toLowerCase().split(/@(?=[^@]*$)/);
  let name = local.split('+')[0] ?? '';
  let host = domain;
  if (host === 'googlemail.com') host = 'gmail.com';
  if (host === 'gmail.com') name = name.replace(/\./g, '');
  return `${name}@${host}`;
}

/**
 * The key under which an address's attempts are counted. An IPv6 client usually holds a whole
 * /64 (one per subscriber), so its other addresses count together; IPv4 addresses count alone.
 */
export function addressKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  const address = ip.split('%')[0] ?? '';
  const [head = '', tail] = address.split('::');
  const front = head === '' ? [] : head.split(':');
  // Groups after "::" (an embedded IPv4 address is two of them) tell how many zeros it stands for.
  const back = tail === undefined || tail === '' ? [] : tail.split(':');
  const backGroups = back.reduce((n, part) => n + (part.includes('.') ? 2 : 1), 0);
  const groups = tail === undefined ? front : [...front, ...Array<string>(Math.max(0, 8 - front.length - backGroups)).fill('0'), ...back];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

function refused(msBeforeNext: number): RateDecision {
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) };
}

/** consume(), with the library's refusal (a rejected RateLimiterRes) as a value; a store error still throws. */
async function consume(limiter: RateLimiterPrisma, key: string): Promise<RateLimiterRes | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (err) {
    if (err instanceof RateLimiterRes) return err;
    throw err;
  }
}

/** RateLimiterStoreAbstract's in-memory block lookup (public, but missing from the library's types). */
interface InMemoryBlocks {
  getInMemoryBlockMsBeforeExpire(rlKey: string): number;
}

/** The longest in-memory block among these keys (0: none): a refusal that needs no query at all. */
function blockedInMemory(...entries: [RateLimiterPrisma, string][]): number {
  return Math.max(0, ...entries.map(([l, key]) => (l as unknown as InMemoryBlocks).getInMemoryBlockMsBeforeExpire(l.getKey(key))));
}

/** Stores its keys as SHA-256: the table holds no e-mail address or IP address in clear (ASVS 5.0 14.2.4). */
class HashedKeyLimiter extends RateLimiterPrisma {
  override getKey(key: string | number): string {
    return super.getKey(hash('sha256', String(key), 'hex'));
  }
}

/** `points` per `windowMs`, the window starting at a key's first point. */
function limiter(prisma: PrismaClient, keyPrefix: string, points: number, windowMs: number): RateLimiterPrisma {
  return new HashedKeyLimiter({
    storeClient: prisma,
    tableName: 'rateLimiterFlexible', // the client's model property, not the table's name
    keyPrefix,
    points,
    duration: windowMs / 1000,
    // A key over its limit is then refused from memory until its window ends: a flood costs no queries.
    inMemoryBlockOnConsumed: points + 1,
    // Expired rows are pruned by app.ts's timer, which stop() clears; the library's own would outlive it.
    clearExpiredByTimeout: false,
  });
}

export class RateLimiter {
  private readonly signInIp: RateLimiterPrisma;
  private readonly signInPair: RateLimiterPrisma;
  private readonly signInAccount: RateLimiterPrisma;
  private readonly signInPace: RateLimiterPrisma;
  private readonly signInKnown: RateLimiterPrisma;
  private readonly signUpIp: RateLimiterPrisma;
  private readonly signUpAccount: RateLimiterPrisma;
  private readonly passwordChange: RateLimiterPrisma;
  private readonly passwordResetIp: RateLimiterPrisma;
  private readonly passwordResetAccount: RateLimiterPrisma;

  constructor(
    private readonly prisma: PrismaClient,
    limits: RateLimits,
  ) {
    this.signInIp = limiter(prisma, 'sign-in-ip', limits.signInFailuresPerIp, limits.longWindowMs);
    this.signInPair = limiter(prisma, 'sign-in-pair', limits.signInFailuresPerAccountAndIp, limits.windowMs);
    this.signInAccount = limiter(prisma, 'sign-in-account', limits.signInFailuresPerAccount, limits.longWindowMs);
    this.signInPace = limiter(prisma, 'sign-in-pace', 1, limits.signInDelayMs);
    this.signInKnown = limiter(prisma, 'sign-in-known', 1, KNOWN_ADDRESS_SECONDS * 1000);
    this.signUpIp = limiter(prisma, 'sign-up-ip', limits.signUpPerIp, limits.windowMs);
    this.signUpAccount = limiter(prisma, 'sign-up-account', limits.signUpPerAccount, limits.windowMs);
    this.passwordChange = limiter(prisma, 'password-change', limits.passwordChangeFailures, limits.windowMs);
    this.passwordResetIp = limiter(prisma, 'password-reset-ip', limits.passwordResetPerIp, limits.windowMs);
    this.passwordResetAccount = limiter(prisma, 'password-reset-account', limits.passwordResetPerAccount, limits.windowMs);
  }

  /**
   * Before a password check. The attempt is counted up front — one atomic increment per key, so
   * concurrent guesses cannot all slip past a check — and taken back by `succeeded`.
   */
  async signIn(email: string, ip: string): Promise<RateDecision> {
    const account = accountKey(email);
    const address = addressKey(ip);
    const pair = `${account}|${address}`;
    const blockedMs = blockedInMemory([this.signInIp, address], [this.signInPair, pair]);
    if (blockedMs > 0) return refused(blockedMs);
    const byIp = await consume(this.signInIp, address);
    if (byIp) return refused(byIp.msBeforeNext);
    const byPair = await consume(this.signInPair, pair);
    if (byPair) {
      await this.signInIp.reward(address);
      return refused(byPair.msBeforeNext);
    }
    const counted = await this.signInAccount.penalty(account);
    if (counted.consumedPoints > this.signInAccount.points && !(await this.signInKnown.get(pair))) {
      const paced = await consume(this.signInPace, account);
      if (paced) {
        // Not a password check, so not a failure.
        await Promise.all([this.signInIp.reward(address), this.signInPair.reward(pair), this.signInAccount.reward(account)]);
        return refused(paced.msBeforeNext);
      }
    }
    return {
      allowed: true,
      attempt: {
        succeeded: async () => {
          await Promise.all([this.signInPair.delete(pair), this.signInIp.reward(address), this.signInAccount.reward(account), this.signInKnown.set(pair, 1, KNOWN_ADDRESS_SECONDS)]);
        },
      },
    };
  }

  /**
   * A second factor proved right after its password step (another request, whose attempt stayed
   * counted so that a known password alone clears nothing): that step is taken back too.
   */
  async secondStepSucceeded(email: string, ip: string): Promise<void> {
    await Promise.all([this.signInIp.reward(addressKey(ip)), this.signInAccount.reward(accountKey(email))]);
  }

  /** Sign-ups count every attempt, per address and per account. */
  async signUp(email: string, ip: string): Promise<RateDecision> {
    const byIp = await consume(this.signUpIp, addressKey(ip));
    if (byIp) return refused(byIp.msBeforeNext);
    const byAccount = await consume(this.signUpAccount, accountKey(email));
    if (byAccount) return refused(byAccount.msBeforeNext);
    return { allowed: true, attempt: nothingToTakeBack };
  }

  /** Before checking a session's current password: failures per user, so more sessions give no more guesses. */
  async changePassword(userId: string): Promise<RateDecision> {
    const byUser = await consume(this.passwordChange, userId);
    if (byUser) return refused(byUser.msBeforeNext);
    return {
      allowed: true,
      attempt: {
        succeeded: async () => {
          await this.passwordChange.delete(userId);
        },
      },
    };
  }

  /**
   * Password-reset requests count every call, per address and per account key, whether or not
   * the account exists (the limit tells nothing apart): bounds the mail one can make us send.
   */
  async passwordReset(email: string, ip: string): Promise<RateDecision> {
    const byIp = await consume(this.passwordResetIp, addressKey(ip));
    if (byIp) return refused(byIp.msBeforeNext);
    const byAccount = await consume(this.passwordResetAccount, accountKey(email));
    if (byAccount) return refused(byAccount.msBeforeNext);
    return { allowed: true, attempt: nothingToTakeBack };
  }

  /** Forgets expired counters (called now and then). The library's clock is Date.now(), so is this. */
  async prune(): Promise<void> {
    await this.prisma.rateLimiterFlexible.deleteMany({ where: { expire: { lt: new Date() } } });
  }
}
