// First working version (foundation); the signed-client issue replaces it.
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import got, { type ExtendOptions, type Got } from "got";

export interface SignedGotOptions extends ExtendOptions {
  region?: string;
  service?: string;
}

export function createSignedGot(options: SignedGotOptions = {}): Got {
  const { region = process.env.AWS_REGION ?? "us-east-1", service = "execute-api", ...gotOptions } = options;
  const signer = new SignatureV4({
    service,
    region,
    sha256: Hash.bind(null, "sha256"),
    credentials: async () => ({
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "",
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "",
      sessionToken: process.env.AWS_SESSION_TOKEN,
    }),
  });
  return got.extend(gotOptions, {
    hooks: {
      beforeRequest: [
        async (opts) => {
          const url = opts.url as URL;
          const headers: Record<string, string> = { host: url.host };
          for (const [k, v] of Object.entries(opts.headers)) if (typeof v === "string" && k !== "user-agent" && k !== "accept-encoding") headers[k] = v;
          const body = typeof opts.body === "string" || Buffer.isBuffer(opts.body) ? opts.body : undefined;
          const signed = await signer.sign(
            new HttpRequest({ method: opts.method, protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body }),
          );
          for (const [k, v] of Object.entries(signed.headers)) if (k !== "host") opts.headers[k] = v;
        },
      ],
    },
  });
}
