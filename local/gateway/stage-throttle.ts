import type { ThrottleModel } from "../model.js";

/**
 * A stage's request throttling as API Gateway applies it: a token bucket of `burstLimit` tokens
 * refilled at `rateLimit` per second; a request that finds it empty gets 429.
 */
export class StageThrottle {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limits: ThrottleModel,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = limits.burstLimit;
    this.last = this.now();
  }

  /** Takes a token; false when the stage is over its limits. */
  tryTake(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.limits.burstLimit, this.tokens + ((now - this.last) / 1000) * this.limits.rateLimit);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
