import { relative } from "node:path";
import type { IConstruct } from "constructs";
import { bundleHandlers, type BundleRequest, type BundleResult } from "./bundle.js";

/** Builds a batch of bundles; {@link bundleHandlers} (one esbuild call) unless an app installs another. */
export type BatchBundler = (requests: readonly BundleRequest[]) => readonly BundleResult[];

/** One function's bundle in its app's {@link FunctionBundles}. */
export interface FunctionBundle {
  /** The built zip: builds every bundle of the app not built yet, in one batch, on first use. */
  get(): BundleResult;
}

interface Registered {
  /** The construct that asked for it, named in errors. */
  readonly owner: string;
  readonly request: BundleRequest;
  result?: BundleResult;
}

/**
 * The Lambda bundles of one app (one construct tree), built together: functions register their
 * entry when constructed, and the first time any bundle is needed (at synth, once every stack is
 * constructed) all registered entries are built in one esbuild call. A function registered after
 * a batch ran is built in the next one.
 */
export class FunctionBundles {
  private static readonly byRoot = new WeakMap<IConstruct, FunctionBundles>();

  /** The bundles of the app `scope` belongs to, created on first use. */
  static of(scope: IConstruct): FunctionBundles {
    const root = scope.node.root;
    let bundles = FunctionBundles.byRoot.get(root);
    if (!bundles) FunctionBundles.byRoot.set(root, (bundles = new FunctionBundles(bundleHandlers)));
    return bundles;
  }

  /**
   * Gives an app its bundles built by `bundler` instead (tests count the batches through it);
   * only before any function of the app registered.
   */
  static install(app: IConstruct, bundler: BatchBundler): FunctionBundles {
    if (FunctionBundles.byRoot.has(app.node.root)) {
      throw new Error(`FunctionBundles.install: the app already has its bundles; install before constructing any NodeFunction.`);
    }
    const bundles = new FunctionBundles(bundler);
    FunctionBundles.byRoot.set(app.node.root, bundles);
    return bundles;
  }

  private readonly registered: Registered[] = [];
  private readonly byZipPath = new Map<string, Registered>();

  private constructor(private readonly bundler: BatchBundler) {}

  /** Registers a bundle; refuses a zip path another construct writes from a different entry. */
  add(owner: string, request: BundleRequest): FunctionBundle {
    const other = this.byZipPath.get(request.zipPath);
    if (other && other.request.entry !== request.entry) {
      throw new Error(
        `${owner}: its zip ${request.zipPath} is also written by ${other.owner} from another entry (${show(other.request.entry)}); ` +
          "give the functions different names or build directories.",
      );
    }
    const registered: Registered = { owner, request };
    this.registered.push(registered);
    this.byZipPath.set(request.zipPath, registered);
    return {
      get: () => {
        if (!registered.result) this.buildPending();
        return registered.result!;
      },
    };
  }

  /** Builds every registered bundle not built yet, in one batch. */
  private buildPending(): void {
    const pending = this.registered.filter((r) => !r.result);
    let results: readonly BundleResult[];
    try {
      results = this.bundler(pending.map((r) => r.request));
    } catch (error) {
      throw this.explain(error, pending);
    }
    if (results.length !== pending.length) throw new Error(`bundling returned ${results.length} results for ${pending.length} functions.`);
    pending.forEach((r, i) => (r.result = results[i]));
  }

  /** A batch failed: builds each entry alone to name the functions whose handler does not build. */
  private explain(error: unknown, pending: readonly Registered[]): Error {
    const byEntry = new Map<string, Registered[]>();
    for (const r of pending) byEntry.set(r.request.entry, [...(byEntry.get(r.request.entry) ?? []), r]);
    const failures: string[] = [];
    for (const [entry, owners] of byEntry) {
      try {
        this.bundler([owners[0]!.request]);
      } catch (alone) {
        failures.push(`${owners.map((o) => o.owner).join(", ")}: its handler ${show(entry)} does not build: ${message(alone)}`);
      }
    }
    if (failures.length === 0) {
      return new Error(`bundling ${pending.map((r) => r.owner).join(", ")} failed: ${message(error)}`, { cause: error });
    }
    return new Error(failures.join("\n"), { cause: error });
  }
}

const show = (path: string) => relative(process.cwd(), path) || path;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
