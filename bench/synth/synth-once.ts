// Runs in a fresh process: synthesizes the reference stack into the directory given, and reports
// how long loading main.ts (cdktf, the provider classes, our constructs) and synth itself took.
const started = performance.now();
const { synthReferenceApp } = await import("../../main.js");
const loadedMs = performance.now() - started;
synthReferenceApp({ outdir: process.argv[2], env: {} });
const synthMs = performance.now() - started - loadedMs;
process.stdout.write(JSON.stringify({ loadMs: loadedMs, synthMs }));

export {};
