import { ERROR_CODES } from "./constants.js";
import { SigningError } from "./errors.js";

/** What the signer hashes, and the replacement body when a stream had to be buffered to hash it. */
export interface SignablePayload {
  readonly bytes: string | Uint8Array | undefined;
  /** Set when the body was a stream or iterable: send this instead (it can also be re-sent on retry). */
  readonly buffered: Buffer | undefined;
}

/**
 * The exact bytes got will send for `body` (got has already turned `json` and `form` into a
 * string by now). Streams and iterables are read up to `maxBytes`, past which the request fails
 * rather than being sent with a signature over bytes it does not carry.
 */
export async function readSignablePayload(body: unknown, maxBytes: number): Promise<SignablePayload> {
  const inHand = signablePayloadNow(body);
  if (inHand !== undefined) return inHand;
  if (isIterable(body)) {
    const buffered = await bufferIterable(body, maxBytes);
    return { bytes: buffered, buffered };
  }
  throw new SigningError(`cannot sign a request body of type ${describe(body)}`, ERROR_CODES.body);
}

/** The payload of a body already in memory (none, text, bytes), or undefined for one that must be read. */
export function signablePayloadNow(body: unknown): SignablePayload | undefined {
  if (body === undefined) return NO_PAYLOAD;
  if (typeof body === "string") return { bytes: body, buffered: undefined };
  if (ArrayBuffer.isView(body)) return { bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength), buffered: undefined };
  return undefined;
}
const NO_PAYLOAD: SignablePayload = Object.freeze({ bytes: undefined, buffered: undefined });

async function bufferIterable(body: AsyncIterable<unknown> | Iterable<unknown>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : toBuffer(chunk);
    size += bytes.length;
    if (size > maxBytes) {
      (body as { destroy?: () => void }).destroy?.();
      throw new SigningError(
        `request body stream is larger than maxBufferedBodyBytes (${maxBytes} bytes): raise the cap, or pass unsignedPayload: true`,
        ERROR_CODES.bodyTooLarge,
      );
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size);
}

function toBuffer(chunk: unknown): Buffer {
  if (ArrayBuffer.isView(chunk)) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new SigningError(`request body stream yielded a ${describe(chunk)}, not bytes or text`, ERROR_CODES.body);
}

function isIterable(body: object | unknown): body is AsyncIterable<unknown> | Iterable<unknown> {
  return typeof body === "object" && body !== null && (Symbol.asyncIterator in body || Symbol.iterator in body);
}

function describe(value: unknown): string {
  return value === null ? "null" : typeof value === "object" ? (value.constructor?.name ?? "object") : typeof value;
}
