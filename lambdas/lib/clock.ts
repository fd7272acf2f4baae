import { CLOCK_SKEW_MESSAGE } from "./constants.js";

/**
 * The time requests are signed at: the local clock plus an offset learned from API Gateway when
 * it rejects a signature as expired or not yet current. Shared by every request of one client.
 */
export class SigningClock {
  #offsetMs = 0;

  constructor(private readonly localNow: () => number) {}

  /** Milliseconds added to the local clock (server time minus local time). */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  signingDate(): Date {
    return new Date(this.localNow() + this.#offsetMs);
  }

  /** Adopts the server's time from an HTTP `Date` header; false if the header is unusable. */
  adjustTo(serverDateHeader: string | undefined): boolean {
    const serverTime = serverDateHeader === undefined ? Number.NaN : Date.parse(serverDateHeader);
    if (Number.isNaN(serverTime)) return false;
    this.#offsetMs = serverTime - this.localNow();
    return true;
  }
}

/** True for API Gateway's 403 "Signature expired" / "Signature not yet current". */
export function isClockSkewRejection(statusCode: number, body: string): boolean {
  return statusCode === 403 && CLOCK_SKEW_MESSAGE.test(body);
}
