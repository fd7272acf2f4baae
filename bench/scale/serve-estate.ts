// Runs in a fresh process on a synthesized estate: how long the offline mode takes to start on it
// (until it listens), how long the access report takes (load plus every principal × route, as
// `npm run access` does), and the process's peak memory.
import { buildAccessReport } from "../../local/access/access-report.js";
import { loadStack } from "../../local/loader/load-stack.js";
import { startOfflineMode } from "../../local/offline-mode.js";

const [stackDir] = process.argv.slice(2) as [string];
const startStarted = performance.now();
const mode = await startOfflineMode({ stackDir, quiet: true, port: 0, throttling: false });
const startMs = performance.now() - startStarted;
await mode.close();

const accessStarted = performance.now();
buildAccessReport(loadStack({ stackDir, accountId: "123456789012", region: "us-east-1", endpoint: "http://127.0.0.1" }));
const accessMs = performance.now() - accessStarted;

process.stdout.write(JSON.stringify({ startMs, accessMs, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
