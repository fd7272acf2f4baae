import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FunctionModel } from "../model.js";

const RUNTIME_SHIM = fileURLToPath(new URL("./lambda-runtime.mjs", import.meta.url));
/** Lambda gives a function's init phase 10 seconds. */
const INIT_TIMEOUT_MS = 10_000;
/**
 * Lambda's limit on a synchronous invocation's payload, request and response ("Invoke": "For
 * synchronous invocations, the maximum payload size is 6 MB",
 * https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html). The exact figure is the one
 * Lambda's own errors name: "Response payload size exceeded maximum allowed payload size (6291556
 * bytes)" and "Request must be smaller than 6291556 bytes for the Invoke operation".
 */
export const LAMBDA_SYNC_PAYLOAD_LIMIT_BYTES = 6_291_556;

/** What one invocation ended with. */
export type InvokeOutcome =
  | { readonly kind: "result"; readonly payload: unknown }
  /** The handler threw or rejected; the instance stays warm. */
  | { readonly kind: "error"; readonly errorType: string; readonly errorMessage: string }
  /** The function's timeout passed; the instance was killed. */
  | { readonly kind: "timeout" }
  /** The instance died, failed to start, or answered garbage. */
  | { readonly kind: "crash"; readonly detail: string };

/** Per-invocation facts the handler's `context` carries. */
export interface InvokeContext {
  readonly awsRequestId: string;
  /** The X-Ray trace header Lambda puts in `_X_AMZN_TRACE_ID` for this invocation. */
  readonly traceHeader?: string;
}

type Pending = { id: number; settle: (outcome: InvokeOutcome) => void; timer: NodeJS.Timeout };

/** Where an instance's stdout/stderr lines go (the offline mode prefixes them with the function name). */
export type LineSink = (line: string) => void;

/** The module file and export a handler string (`index.handler`) names, as Lambda's Node runtime resolves them. */
export function resolveHandler(taskRoot: string, handler: string): { file: string; exportName: string } {
  const dot = handler.lastIndexOf(".");
  if (dot <= 0 || dot === handler.length - 1) throw new Error(`handler '${handler}' is not 'file.export'`);
  const base = join(taskRoot, handler.slice(0, dot));
  const file = [".mjs", ".js", ".cjs"].map((ext) => base + ext).find((f) => existsSync(f));
  if (!file) throw new Error(`handler '${handler}': no ${handler.slice(0, dot)}.mjs/.js/.cjs in the bundle`);
  return { file, exportName: handler.slice(dot + 1) };
}

/** One warm Lambda instance: a child process running the runtime shim, one invocation at a time. */
export class LambdaInstance {
  private readonly child: ChildProcess;
  private readonly ready: Promise<string | undefined>;
  private pending?: Pending;
  private nextId = 1;
  private exited = false;

  constructor(
    private readonly fn: FunctionModel,
    taskRoot: string,
    env: NodeJS.ProcessEnv,
    sink: LineSink,
  ) {
    const { file, exportName } = resolveHandler(taskRoot, fn.handler);
    this.child = fork(RUNTIME_SHIM, [file, exportName], {
      cwd: taskRoot,
      env,
      // Never inherit the gateway's flags (tsx loader, inspector): the bundle runs on plain Node.
      execArgv: [`--max-old-space-size=${Math.max(64, fn.memoryMb)}`],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "json",
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      let buffered = "";
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) sink(line);
      });
      stream?.on("end", () => buffered && sink(buffered));
    }
    this.ready = new Promise((resolve) => {
      const timer = setTimeout(() => {
        resolve(`init did not finish within ${INIT_TIMEOUT_MS} ms`);
        this.kill();
      }, INIT_TIMEOUT_MS);
      this.child.on("message", (message: { type?: string; errorType?: string; errorMessage?: string }) => {
        if (message?.type === "ready") {
          clearTimeout(timer);
          resolve(undefined);
        } else if (message?.type === "init-error") {
          clearTimeout(timer);
          resolve(`init failed: ${message.errorType}: ${message.errorMessage}`);
        }
      });
      this.child.on("exit", () => {
        clearTimeout(timer);
        resolve("the instance exited during init");
      });
    });
    this.child.on("message", (message) => this.onMessage(message));
    this.child.on("exit", (code, signal) => {
      this.exited = true;
      this.finish({ kind: "crash", detail: `the instance exited (${signal ?? `code ${code}`})` });
    });
    // A failed spawn surfaces as 'error' then 'exit'; the exit handler settles what was pending.
    this.child.on("error", () => undefined);
  }

  /** False once the process has exited or was killed: the pool drops it. */
  get alive(): boolean {
    return !this.exited && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Runs one invocation; never rejects. A timeout kills the instance. */
  async invoke(event: unknown, context: InvokeContext): Promise<InvokeOutcome> {
    const initProblem = await this.ready;
    if (initProblem !== undefined) {
      this.kill();
      return { kind: "crash", detail: initProblem };
    }
    if (!this.alive) return { kind: "crash", detail: "the instance is not running" };
    if (this.pending) return { kind: "crash", detail: "the instance is busy" };
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    const id = this.nextId++;
    return new Promise<InvokeOutcome>((settle) => {
      const timer = setTimeout(() => {
        this.finish({ kind: "timeout" });
        this.kill();
      }, timeoutMs);
      this.pending = { id, settle, timer };
      this.child.send({
        type: "invoke",
        id,
        event,
        traceHeader: context.traceHeader,
        context: {
          awsRequestId: context.awsRequestId,
          functionName: this.fn.name,
          functionVersion: "$LATEST",
          invokedFunctionArn: this.fn.arn,
          memoryLimitInMB: String(this.fn.memoryMb),
          logGroupName: this.fn.logGroupName,
          logStreamName: `local/[$LATEST]${this.child.pid}`,
          deadlineMs: Date.now() + timeoutMs,
        },
      }, (error) => {
        if (error) this.finish({ kind: "crash", detail: "could not send the event to the instance" });
      });
    });
  }

  /** Stops the process now. */
  kill(): void {
    if (this.alive) this.child.kill("SIGKILL");
  }

  /** Resolves when the process has exited. */
  exitedPromise(): Promise<void> {
    if (!this.alive) return Promise.resolve();
    return new Promise((resolve) => this.child.once("exit", () => resolve()));
  }

  private onMessage(message: unknown): void {
    const m = message as { type?: string; id?: number; payload?: unknown; errorType?: unknown; errorMessage?: unknown };
    if (!this.pending || m?.id !== this.pending.id) return;
    if (m.type === "result") {
      // Lambda counts the serialized result's bytes (UTF-8), not its characters; over the limit it
      // reports Function.ResponseSizeTooLarge, and API Gateway answers 502.
      if (Buffer.byteLength(String(m.payload)) > LAMBDA_SYNC_PAYLOAD_LIMIT_BYTES) {
        this.finish({
          kind: "error",
          errorType: "Function.ResponseSizeTooLarge",
          errorMessage: `Response payload size exceeded maximum allowed payload size (${LAMBDA_SYNC_PAYLOAD_LIMIT_BYTES} bytes).`,
        });
        return;
      }
      let payload: unknown;
      try {
        payload = JSON.parse(String(m.payload));
      } catch {
        this.finish({ kind: "crash", detail: "the instance sent a result that is not JSON" });
        return;
      }
      this.finish({ kind: "result", payload });
    } else if (m.type === "error") {
      this.finish({ kind: "error", errorType: String(m.errorType), errorMessage: String(m.errorMessage) });
    }
  }

  private finish(outcome: InvokeOutcome): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.settle(outcome);
  }
}
