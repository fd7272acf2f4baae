// Runs in a fresh process on a synthesized estate: how long the offline mode takes to start on it
// (until it listens), and the process's peak memory.
import { startOfflineMode } from "../../local/offline-mode.js";

const [stackDir] = process.argv.slice(2) as [string];
const startStarted = performance.now();
const mode = await startOfflineMode({ stackDir, quiet: true, port: 0, throttling: false });
const startMs = performance.now() - startStarted;
await mode.close();

process.stdout.write(JSON.stringify({ startMs, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
