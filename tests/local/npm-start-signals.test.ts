import { spawn, type ChildProcess } from "node:child_process";
import { mintFromStateDir } from "../../local/issuer/local-issuer.js";
import { SEEDED_POOL_USERS } from "../../local/issuer/local-users.js";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { expect } from "chai";
import { PROJECT_ROOT } from "../../local/offline-mode.js";
import { send } from "../unit/local/fixtures/http-client.js";

/** A process as /proc shows it: parent, state (Z = exited, waiting to be reaped) and command line. */
interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly state: string;
  readonly command: string;
}

function processInfo(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // `pid (comm) state ppid …`; comm may hold spaces and parentheses, so split after the last ')'.
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    return { pid, ppid: Number(ppid), state: state!, command };
  } catch {
    return undefined; // gone
  }
}

/** Every process below `root`, found through parent ids. */
function descendantsOf(root: number): ProcessInfo[] {
  const all = readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map((name) => processInfo(Number(name))).filter((p) => p !== undefined);
  const found: ProcessInfo[] = [];
  const parents = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}

/** Running: present and not a zombie (an exited orphan whose reaper has not collected it yet). */
const isLive = (pid: number) => {
  const info = processInfo(pid);
  return info !== undefined && info.state !== "Z";
};

async function waitUntilGone(pids: readonly number[], deadlineMs: number): Promise<ProcessInfo[]> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const alive = pids.filter(isLive);
    if (alive.length === 0 || Date.now() > until) return alive.map((pid) => processInfo(pid)!).filter(Boolean);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * `npm start` as a process manager or CI runs it, its signals sent to the npm process only: every
 * process below it (the gateway, tsx's esbuild service, each function instance) must be gone after.
 */
describe("npm start: no orphan processes", function () {
  this.timeout(240_000);
  const everyPid = new Set<number>();
  const npms: ChildProcess[] = [];
  const stateDirs: string[] = [];

  before(function () {
    if (process.platform !== "linux") {
      console.log(`    skipped: reads the process tree from /proc (Linux only; this is ${process.platform})`);
      this.skip();
    }
  });

  // Whatever happened, nothing this suite started survives it.
  after(() => {
    for (const npm of npms) {
      try {
        process.kill(-npm.pid!, "SIGKILL"); // the process group npm leads (detached below)
      } catch {
        // already gone
      }
    }
    for (const pid of everyPid) if (isLive(pid)) process.kill(pid, "SIGKILL");
    for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Starts `npm start`, warms two functions with a public call, and returns npm and every process below it. */
  async function startNpm(): Promise<{ npm: ChildProcess; tree: ProcessInfo[] }> {
    const stateDir = mkdtempSync(join(tmpdir(), "sia-npm-start-"));
    stateDirs.push(stateDir);
    const npm = spawn("npm", ["start", "--", "--port", "0", "--quiet", "--state-dir", stateDir], {
      cwd: PROJECT_ROOT,
      detached: true, // its own process group, so the cleanup above can reach every member
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    });
    npms.push(npm);
    everyPid.add(npm.pid!);
    const output: string[] = [];
    npm.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not come up within 180 s:\n${output.join("")}`)), 180_000);
      createInterface({ input: npm.stdout! }).on("line", (line) => {
        output.push(`${line}\n`);
        if (line.startsWith("Ctrl-C")) {
          clearTimeout(timer);
          resolve();
        }
      });
      npm.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited (${signal ?? code}):\n${output.join("")}`));
      });
    });
    const outputs = JSON.parse(readFileSync(join(stateDir, "outputs.json"), "utf8"))["secure-internal-apis"];
    const token = await mintFromStateDir(stateDir, { email: SEEDED_POOL_USERS[0]!.email });
    expect((await send(`${outputs.public_api_url}/users/${SEEDED_POOL_USERS[0]!.sub}/profile`, { headers: { authorization: token } })).status).to.equal(200);
    const tree = descendantsOf(npm.pid!);
    for (const p of tree) everyPid.add(p.pid);
    return { npm, tree };
  }

  const functionsIn = (tree: readonly ProcessInfo[]) => tree.filter((p) => p.command.includes("lambda-runtime.mjs"));

  for (const signal of ["SIGTERM", "SIGHUP", "SIGINT"] as const) {
    it(`leaves no gateway, esbuild or function process when npm alone gets ${signal}`, async () => {
      const { npm, tree } = await startNpm();
      const functions = functionsIn(tree);
      expect(functions.length, "profile and users instances").to.be.at.least(2);
      expect(tree.some((p) => p.command.includes("local/start.ts")), "the gateway runs below npm").to.equal(true);

      process.kill(npm.pid!, signal);
      const left = await waitUntilGone([npm.pid!, ...tree.map((p) => p.pid)], 30_000);
      expect(left.map((p) => `${p.pid} ${p.command}`)).to.deep.equal([]);
    });
  }

  it("stops every function instance when the gateway is killed with SIGKILL", async () => {
    const { npm, tree } = await startNpm();
    const functions = functionsIn(tree);
    expect(functions.length).to.be.at.least(2);
    const gateway = functions[0]!.ppid;
    expect(functions.every((p) => p.ppid === gateway)).to.equal(true);

    process.kill(gateway, "SIGKILL");
    const left = await waitUntilGone([npm.pid!, ...tree.map((p) => p.pid)], 30_000);
    expect(left.map((p) => `${p.pid} ${p.command}`)).to.deep.equal([]);
  });
});
