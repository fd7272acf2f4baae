// Baseline: a fresh process that loads cdktf and does nothing else.
const started = performance.now();
await import("cdktf");
process.stdout.write(JSON.stringify({ loadMs: performance.now() - started, synthMs: 0 }));

export {};
