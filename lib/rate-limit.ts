// A sliding-window rate limit per key (the public API limits each token). In-process: the dashboard
// is one Node process (DESIGN.md, one machine), so a Map is exact. Behind a load balancer with several
// dashboard processes each would count on its own; the limit would then move to PostgreSQL or Redis.
// Pure apart from the clock passed in.

export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Requests left in the current window after this one. */
  remaining: number;
  /** Whole seconds until a request would be allowed again; 0 when allowed. */
  retryAfterSeconds: number;
}

export class SlidingWindowLimiter {
  /** Per key, the times (ms) of the requests allowed within the last window, oldest first. */
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  take(key: string, now: number): RateDecision {
    const since = now - this.windowMs;
    const times = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (times.length >= this.limit) {
      this.hits.set(key, times);
      const retryAfterSeconds = Math.max(1, Math.ceil((times[0]! + this.windowMs - now) / 1000));
      return { allowed: false, limit: this.limit, remaining: 0, retryAfterSeconds };
    }
    times.push(now);
    this.hits.set(key, times);
    this.sweep(since);
    return { allowed: true, limit: this.limit, remaining: this.limit - times.length, retryAfterSeconds: 0 };
  }

  /** Forgets keys idle for a whole window, so revoked or unused tokens do not hold memory. */
  private sweep(since: number): void {
    if (this.hits.size < 1000) return;
    for (const [key, times] of this.hits) if (times[times.length - 1]! <= since) this.hits.delete(key);
  }
}
