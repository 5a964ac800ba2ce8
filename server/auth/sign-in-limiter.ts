import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Storage } from '../storage/storage.js';

const WINDOW_SECONDS = 15 * 60;

/**
 * Slows password guessing: failed sign-ins are counted per account and per
 * client address over a 15-minute window. Past the limit, sign-in answers 429
 * with `Retry-After` before any password is checked. A success clears the
 * account's count. The counts live in the storage (rate-limiter-flexible's
 * store for the engine), so every instance on the database shares them.
 * The address is the caller's to work out: the socket's peer, or the client a
 * trusted proxy names (server/proxy.ts), lest everyone behind one proxy share a limit.
 */
export class SignInLimiter {
  private constructor(
    private readonly byAccount: RateLimiterAbstract,
    private readonly byAddress: RateLimiterAbstract,
  ) {}

  static async create(storage: Storage, maxFailuresPerAccount: number): Promise<SignInLimiter> {
    return new SignInLimiter(
      await storage.rateLimiter({ keyPrefix: 'signin_account', points: maxFailuresPerAccount, duration: WINDOW_SECONDS }),
      // An address may hold several people (an office behind one NAT): a wider limit.
      await storage.rateLimiter({ keyPrefix: 'signin_address', points: maxFailuresPerAccount * 5, duration: WINDOW_SECONDS }),
    );
  }

  /** Seconds to wait before trying again, or 0 when a sign-in may be attempted. */
  async retryAfter(email: string, address: string): Promise<number> {
    const [account, client] = await Promise.all([this.byAccount.get(email.toLowerCase()), this.byAddress.get(address)]);
    const wait = (state: typeof account, limiter: RateLimiterAbstract) =>
      state && state.consumedPoints >= limiter.points ? Math.ceil(state.msBeforeNext / 1000) : 0;
    return Math.max(wait(account, this.byAccount), wait(client, this.byAddress));
  }

  async failed(email: string, address: string): Promise<void> {
    // consume() rejects once the limit is passed: that is the state retryAfter() reads.
    await Promise.allSettled([this.byAccount.consume(email.toLowerCase()), this.byAddress.consume(address)]);
  }

  async succeeded(email: string): Promise<void> {
    await this.byAccount.delete(email.toLowerCase());
  }
}
