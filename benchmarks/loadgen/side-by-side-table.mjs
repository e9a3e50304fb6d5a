// Turns benchmarks/target/side-by-side.jsonl into the Markdown table of docs/performance.md: per member count and
// target, deliveries/s (median of the runs' medians, with min and max), publish -> last member p50/p99 (all runs'
// samples), server CPU per delivery (over the whole run, and over the measured bursts alone when the run recorded
// it), the cores the server and the load generator used during the bursts (the load generator parses every frame on
// one thread: near 1.0 it is the bottleneck), and the ratios to Socket.IO and to bare Jetty with batching.
// Usage: node side-by-side-table.mjs FILE
import { readFileSync } from "node:fs";

const runs = readFileSync(process.argv[2], "utf8").trim().split("\n").map((l) => JSON.parse(l));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };
const names = {
  "jetty-bare": "bare JSR-356, Jetty 12", "jetty-bare-batch": "bare JSR-356, Jetty 12, batching + flushBatch",
  "jetty-covet": "Covet, Jetty 12 + Weld", "tyrus-covet": "Covet, Tyrus + Weld", socketio: "Socket.IO 4.8 (Node)",
};
console.log("| members | server | deliveries/s median (min–max) | last member p50 / p99 ms | server CPU µs/delivery, whole run / bursts | cores busy in bursts, server / load generator | × Socket.IO | × bare Jetty batching | incomplete runs |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const members of [...new Set(runs.map((r) => r.members ?? 0))].filter(Boolean)) {
  const stats = {};
  for (const target of Object.keys(names)) {
    const rs = runs.filter((r) => r.target === target && r.members === members && !r.incomplete);
    if (!rs.length) continue;
    const rates = rs.map((r) => median(r.deliveriesPerSec));
    const lat = rs.flatMap((r) => r.lastMemberMs);
    const cpu = rs.map((r) => {
      const deliveries = r.members * (Math.min(r.count, 5) + r.deliveriesPerSec.length * r.count + r.lastMemberMs.length);
      return r.cpuTicks / r.hz * 1e6 / deliveries;
    });
    const burstCpu = rs.filter((r) => r.burstCpuTicks !== undefined)
      .map((r) => r.burstCpuTicks / r.hz * 1e6 / (r.members * r.count * r.deliveriesPerSec.length));
    const timed = rs.filter((r) => r.burstMs);
    const share = (xs) => (xs.length ? median(xs).toFixed(2) : "–");
    const busy = timed.length ? `${share(timed.filter((r) => r.burstCpuTicks !== undefined)
      .map((r) => r.burstCpuTicks / r.hz / (r.burstMs / 1000)))} / ${share(timed.map((r) => r.clientBusy))}` : "–";
    stats[target] = { busy, rate: median(rates), min: Math.min(...rates), max: Math.max(...rates), p50: pct(lat, 0.5),
      p99: pct(lat, 0.99), cpu: median(cpu), burstCpu: burstCpu.length ? median(burstCpu).toFixed(2) : "–", incomplete: runs.filter((r) => r.target === target && r.incomplete).length };
  }
  for (const [target, s] of Object.entries(stats)) {
    const ratio = (other) => (stats[other] ? (s.rate / stats[other].rate).toFixed(2) : "–");
    console.log(`| ${members} | ${names[target]} | ${s.rate} (${s.min}–${s.max}) | ${s.p50} / ${s.p99} | ${s.cpu.toFixed(2)} / ${s.burstCpu} | ${s.busy} | ${ratio("socketio")} | ${ratio("jetty-bare-batch")} | ${s.incomplete} |`);
  }
}
