/**
 * Preloaded into each benchmarked process (`node --require`): when the process exits, writes its
 * CPU time (user + system, seconds) and peak memory to BENCH_CPU_FILE. CPU time, unlike wall time,
 * does not change with what else the machine is doing, so a verdict does not flip with load.
 */
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_CPU_FILE;
if (file) {
  process.on("exit", () => {
    const { user, system } = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ cpuSeconds: (user + system) / 1e6, maxRssKb: process.resourceUsage().maxRSS }));
  });
}
