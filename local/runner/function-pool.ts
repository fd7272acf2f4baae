import type { InvokeContext, InvokeOutcome, LambdaInstance } from "./lambda-instance.js";

/**
 * The warm instances of one function: an idle instance serves the next invocation, a new one
 * starts when all are busy, and beyond `maxInstances` invocations wait for one to free up (where
 * AWS would throttle; locally waiting is kinder to a test run).
 */
export class FunctionPool {
  private readonly instances = new Set<LambdaInstance>();
  private readonly idle: LambdaInstance[] = [];
  private readonly waiters: Array<(instance: LambdaInstance | undefined) => void> = [];
  private closed = false;

  constructor(
    private readonly start: () => LambdaInstance,
    private readonly maxInstances: number,
  ) {
    if (!Number.isInteger(maxInstances) || maxInstances < 1) throw new Error(`maxInstances must be a positive integer, got ${maxInstances}`);
  }

  /** Number of running instances (idle and busy). */
  get size(): number {
    return this.instances.size;
  }

  /** The process ids of the running instances. */
  pids(): number[] {
    return [...this.instances].map((i) => i.pid).filter((pid): pid is number => pid !== undefined);
  }

  async invoke(event: unknown, context: InvokeContext): Promise<InvokeOutcome> {
    const instance = await this.acquire();
    if (!instance) return { kind: "crash", detail: "the offline mode is shutting down" };
    try {
      return await instance.invoke(event, context);
    } finally {
      this.release(instance);
    }
  }

  /** Kills every instance and fails whatever waits. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
    const all = [...this.instances];
    for (const instance of all) instance.kill();
    await Promise.all(all.map((i) => i.exitedPromise()));
    this.instances.clear();
    this.idle.length = 0;
  }

  private acquire(): Promise<LambdaInstance | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    while (this.idle.length > 0) {
      // Most recently used first: it is the warmest, and the others may be reaped later.
      const instance = this.idle.pop()!;
      if (instance.alive) return Promise.resolve(instance);
      this.instances.delete(instance);
    }
    if (this.instances.size < this.maxInstances) {
      const instance = this.start();
      this.instances.add(instance);
      return Promise.resolve(instance);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(instance: LambdaInstance): void {
    if (!instance.alive || this.closed) {
      this.instances.delete(instance);
      // A dead instance frees a slot: let a waiter start a fresh one.
      const waiter = this.waiters.shift();
      if (waiter) this.acquire().then(waiter);
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) waiter(instance);
    else this.idle.push(instance);
  }
}
