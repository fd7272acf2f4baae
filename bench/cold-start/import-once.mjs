// Runs in a fresh Node process: imports one bundle, as the Lambda runtime does, and reports how
// long the import (module load and top-level code) took. Plain .mjs so no loader is in the way.
const started = performance.now();
const module = await import(process.argv[2]);
const importMs = performance.now() - started;
if (typeof module.handler !== "function") throw new Error(`${process.argv[2]} exports no handler`);
process.stdout.write(JSON.stringify({ importMs }));
