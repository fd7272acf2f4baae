import { spawnSync } from "node:child_process";
import { SEEDED_POOL_USERS } from "../../local/issuer/local-users.js";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertSameBuildAsShipped, bundleUnsignedCaller } from "./unsigned-caller.js";
import { writeVariantStack } from "./variant-stacks.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The seeded user Ada: the hop reads her profile, signed in as her (the user pool authorizer runs too). */
export const BENCH_USER = SEEDED_POOL_USERS[0]!;
export const PUBLIC_PATH = `/users/${BENCH_USER.sub}/profile`;
export const INTERNAL_PATH = `/users/${BENCH_USER.sub}`;

/** The synth runs with default settings, so the caller is `sia-profile` and its role `sia-profile-role`. */
export const CALLER_FUNCTION = "sia-profile";
export const CALLER_ROLE = "sia-profile-role";
const CALLER_ENTRY = join(ROOT, "lambdas/profile/handler.ts");

export interface HopVariant {
  readonly id: "shipped" | "without-iam" | "unsigned";
  readonly name: string;
  readonly stackDir: string;
  /** The status an unsigned request straight to the internal API must get in this variant. */
  readonly internalUnsignedStatus: number;
}

/** Synthesizes the reference stack (default settings) into `outdir`, in a fresh process as `npx tsx main.ts` would. */
export function synthesizeReference(outdir: string): string {
  const result = spawnSync(process.execPath, ["--import", "tsx", "bench/synth/synth-once.ts", outdir], {
    cwd: ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`synth failed (${result.status ?? result.signal}): ${result.stderr}`);
  return join(outdir, "stacks", "secure-internal-apis");
}

/**
 * The stack as shipped and two bench-only copies: the internal API without IAM (methods NONE, no
 * resource policy) with the caller still signing, then the same with the caller built unsigned.
 */
export async function prepareHopVariants(work: string): Promise<[HopVariant, HopVariant, HopVariant]> {
  const reference = synthesizeReference(join(work, "synth"));
  await assertSameBuildAsShipped(CALLER_ENTRY, work);
  const unsignedZip = join(work, "unsigned-profile.zip");
  await bundleUnsignedCaller(CALLER_ENTRY, unsignedZip);
  return [
    { id: "shipped", name: "signed, IAM verified (as shipped)", stackDir: reference, internalUnsignedStatus: 403 },
    {
      id: "without-iam",
      name: "signed, internal API without IAM",
      stackDir: writeVariantStack(reference, join(work, "without-iam"), { withoutIam: true }),
      internalUnsignedStatus: 200,
    },
    {
      id: "unsigned",
      name: "unsigned, internal API without IAM (baseline)",
      stackDir: writeVariantStack(reference, join(work, "unsigned"), { withoutIam: true, replaceZips: { [CALLER_FUNCTION]: unsignedZip } }),
      internalUnsignedStatus: 200,
    },
  ];
}
