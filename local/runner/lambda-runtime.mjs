// The Lambda runtime shim: one per warm instance, forked by lambda-instance.ts. Plain ESM (not
// TypeScript) so the child runs the bundle exactly as Lambda would, without a loader in between.
// argv: <handler module file> <export name>. Talks to the parent over IPC only.
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

const [moduleFile, exportName] = process.argv.slice(2);

// When the parent goes away (crash, kill -9), so does every instance: no orphans.
process.on("disconnect", () => process.exit(0));
// A handler stuck in synchronous code never runs that listener, so a watchdog thread (its own event
// loop) checks the parent every 250 ms and ends the process when it has gone. unref: it never keeps
// the instance alive on its own.
new Worker(
  `const { workerData } = require("node:worker_threads");
   setInterval(() => { if (process.ppid !== workerData.ppid) process.kill(workerData.pid, "SIGKILL"); }, 250);`,
  { eval: true, workerData: { ppid: process.ppid, pid: process.pid } },
).unref();

function send(message) {
  if (process.connected) process.send(message);
}

function describeError(error) {
  if (error instanceof Error) return { errorType: error.name || "Error", errorMessage: error.message };
  return { errorType: "Error", errorMessage: String(error) };
}

let handler;
try {
  const module = await import(pathToFileURL(moduleFile).href);
  handler = module[exportName];
  if (typeof handler !== "function") throw new Error(`${exportName} is not a function exported by ${moduleFile}`);
  send({ type: "ready" });
} catch (error) {
  // Lambda writes init and invoke errors to the function's log; so do we (stderr, prefixed by the parent).
  console.error("INIT_ERROR", error instanceof Error ? error.stack : String(error));
  send({ type: "init-error", ...describeError(error) });
  process.exit(1);
}

function call(event, context) {
  // Callback-style handlers take three arguments; async ones return a promise.
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const result = handler(event, context, (error, value) => (error ? reject(error) : resolve(value)));
      if (result && typeof result.then === "function") result.then(resolve, reject);
    });
  }
  return Promise.resolve().then(() => handler(event, context));
}

process.on("message", async (message) => {
  if (!message || message.type !== "invoke") return;
  const { id, event, context: info, traceHeader } = message;
  // Lambda's Node runtime sets the invocation's trace header in the environment before each call.
  if (traceHeader) process.env._X_AMZN_TRACE_ID = traceHeader;
  else delete process.env._X_AMZN_TRACE_ID;
  const context = {
    ...info,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, info.deadlineMs - Date.now()),
  };
  try {
    const value = await call(event, context);
    // Lambda serializes the result as JSON; undefined becomes null.
    send({ type: "result", id, payload: JSON.stringify(value === undefined ? null : value) });
  } catch (error) {
    console.error("ERROR Invoke Error", error instanceof Error ? error.stack : String(error));
    send({ type: "error", id, ...describeError(error) });
  }
});
