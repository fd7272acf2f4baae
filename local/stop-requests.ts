/**
 * When the offline mode must stop: a signal process managers and terminals send (SIGINT, SIGTERM,
 * SIGHUP), or the parent process going away. `npm start` runs this under npm, which forwards
 * only SIGINT and SIGTERM to its child and dies of anything else (SIGHUP, SIGKILL), leaving the
 * child to init: so the process also watches its parent id, and stops when it changes.
 */

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
/** How often the parent is checked; short enough that nothing outlives npm by much. */
const PARENT_POLL_MS = 500;

/**
 * Calls `stop` once, with the reason, on the first stop request. From then on the signals stay
 * handled (a second Ctrl-C does not kill the process halfway through stopping its children).
 */
export function onStopRequest(stop: (reason: string) => void): void {
  let requested = false;
  const request = (reason: string) => {
    if (requested) return;
    requested = true;
    clearInterval(parentWatch);
    stop(reason);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => request(signal));
  const parent = process.ppid;
  const parentWatch = setInterval(() => {
    if (process.ppid !== parent) request(`parent process ${parent} exited`);
  }, PARENT_POLL_MS);
  parentWatch.unref();
}
