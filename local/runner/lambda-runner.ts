import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FunctionModel } from "../model.js";
import { FunctionPool } from "./function-pool.js";
import { lambdaEnvironment, type SessionCredentials } from "./lambda-environment.js";
import { LambdaInstance, type InvokeContext, type InvokeOutcome, type LineSink } from "./lambda-instance.js";
import { unzipBundle } from "./unzip-bundle.js";

export interface LambdaRunnerOptions {
  readonly functions: Iterable<FunctionModel>;
  readonly region: string;
  /** The role-session credentials each function's instances get. */
  readonly credentialsFor: (fn: FunctionModel) => SessionCredentials;
  /** The local AWS endpoint the functions' SDK calls go to. @default none (SDK calls would go to AWS) */
  readonly awsEndpointUrl?: string;
  /** Concurrent instances per function. @default 8 */
  readonly maxInstancesPerFunction?: number;
  /** Where a function's output lines go, already prefixed with its name. @default stderr */
  readonly log?: LineSink;
}

/**
 * Runs the stack's functions from their zips: each function unzipped once per start into a
 * temporary directory, and a pool of warm child processes per function.
 */
export class LambdaRunner {
  private readonly pools = new Map<string, FunctionPool>();
  /** Where the bundles are unzipped; removed by close(). */
  readonly workDir: string;

  constructor(options: LambdaRunnerOptions) {
    this.workDir = mkdtempSync(join(tmpdir(), "sia-offline-"));
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    try {
      for (const fn of options.functions) {
        const taskRoot = join(this.workDir, fn.name);
        unzipBundle(fn.zipPath, taskRoot);
        const env = lambdaEnvironment(fn, options.credentialsFor(fn), options.region, taskRoot, options.awsEndpointUrl);
        const sink: LineSink = (line) => log(`[${fn.name}] ${line}`);
        this.pools.set(fn.name, new FunctionPool(() => new LambdaInstance(fn, taskRoot, env, sink), options.maxInstancesPerFunction ?? 8));
      }
    } catch (error) {
      rmSync(this.workDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Invokes a function by name; never rejects. */
  invoke(functionName: string, event: unknown, context: InvokeContext): Promise<InvokeOutcome> {
    const pool = this.pools.get(functionName);
    if (!pool) return Promise.resolve({ kind: "crash", detail: `no function named ${functionName}` });
    return pool.invoke(event, context);
  }

  /** Process ids of every running instance, by function (for tests and diagnostics). */
  pids(): Record<string, number[]> {
    return Object.fromEntries([...this.pools].map(([name, pool]) => [name, pool.pids()]));
  }

  /** Stops every instance and removes the unzipped bundles. */
  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
