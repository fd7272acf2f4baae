// Runs in a fresh process: synthesizes the estate of the factor given into the directory given,
// and reports the synth time and the process's peak memory.
import { App } from "cdktf";
import { estateShape, ScaleEstateStack } from "./estate.js";

const [factor, outdir, buildDir] = process.argv.slice(2);
const started = performance.now();
const app = new App({ outdir, skipValidation: false });
new ScaleEstateStack(app, "scale-estate", estateShape(Number(factor)), buildDir!);
app.synth();
const synthMs = performance.now() - started;
process.stdout.write(JSON.stringify({ synthMs, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
