import { CLOCK_SKEW_MESSAGE } from "./constants.js";
import { apiGatewayMessage } from "./errors.js";

/**
 * The largest offset the client adopts from a server's `Date` header: 15 minutes.
 *
 * API Gateway accepts a signing time within 5 minutes of its clock, so a correct local clock
 * never needs an offset; Lambda's clock is NTP-synced and a laptop or VM that drifted rarely does
 * by more than a few minutes. A bigger offset means a broken clock or a `Date` header the client
 * should not trust (a proxy or anything on the path can write one): adopting it would have the
 * client sign requests that stay valid far in the future (a replay window the size of the
 * offset). With the bound, the furthest a forged `Date` can push a signature is 15 + 5 minutes.
 */
export const MAX_CLOCK_OFFSET_MS = 15 * 60_000;

/** Where the clock says what it did (no secret ever goes there). @default console.warn */
export type ClockLog = (line: string) => void;

/**
 * The time requests are signed at: the local clock plus an offset learned from API Gateway when
 * it rejects a signature as expired or not yet current. Shared by every request of one client.
 */
export class SigningClock {
  #offsetMs = 0;

  constructor(
    private readonly localNow: () => number,
    private readonly log: ClockLog = (line) => console.warn(line),
  ) {}

  /** Milliseconds added to the local clock (server time minus local time). */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  signingDate(): Date {
    return new Date(this.localNow() + this.#offsetMs);
  }

  /**
   * Adopts the server's time from an HTTP `Date` header when it is within
   * {@link MAX_CLOCK_OFFSET_MS} of the local clock, and logs that it did; false (and a log line)
   * if the header is unusable or too far off.
   */
  adjustTo(serverDateHeader: string | undefined, origin: string): boolean {
    const serverTime = serverDateHeader === undefined ? Number.NaN : Date.parse(serverDateHeader);
    if (Number.isNaN(serverTime)) {
      this.log(`signed client: ${origin} refused the signing time but sent no usable Date header; not retrying`);
      return false;
    }
    const offsetMs = serverTime - this.localNow();
    if (Math.abs(offsetMs) > MAX_CLOCK_OFFSET_MS) {
      this.log(
        `signed client: ${origin} refused the signing time; its Date is ${formatOffset(offsetMs)} from the local clock, ` +
          `more than the ${MAX_CLOCK_OFFSET_MS / 60_000} minutes the client adopts: fix the local clock (not retrying)`,
      );
      return false;
    }
    this.log(`signed client: ${origin} refused the signing time; signing ${formatOffset(offsetMs)} off the local clock from now on (its Date header)`);
    this.#offsetMs = offsetMs;
    return true;
  }
}

/** `+12m 0s` / `-3m 20s`. */
function formatOffset(offsetMs: number): string {
  const seconds = Math.round(Math.abs(offsetMs) / 1000);
  return `${offsetMs < 0 ? "-" : "+"}${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}

/**
 * True for API Gateway's 403 "Signature expired" / "Signature not yet current". Only a 403 can be
 * one: the body of any other response is never parsed.
 */
export function isClockSkewRejection(statusCode: number, rawBody: Buffer | undefined): boolean {
  return statusCode === 403 && CLOCK_SKEW_MESSAGE.test(apiGatewayMessage(rawBody));
}
