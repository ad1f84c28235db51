// Preloaded into a `lowrank` child by the tests (node --require): when the process exits, writes
// its peak resident set size in bytes (getrusage's ru_maxrss, which Node reports in KiB) to the
// file named by LOWRANK_TEST_PEAK_FILE. Test code only: nothing of it ships.
const { writeFileSync } = require("node:fs");

process.on("exit", () => {
  writeFileSync(process.env.LOWRANK_TEST_PEAK_FILE, String(process.resourceUsage().maxRSS * 1024));
});
