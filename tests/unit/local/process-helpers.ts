/** True while a process with this id exists. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (bounded) until none of the processes runs; resolves with those still running. */
export async function waitUntilGone(pids: readonly number[], deadlineMs = 5000): Promise<number[]> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const alive = pids.filter(isRunning);
    if (alive.length === 0 || Date.now() > until) return alive;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
