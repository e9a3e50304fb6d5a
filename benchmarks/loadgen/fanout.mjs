// Fan-out load: MEMBERS connections in one group (a Covet room, or the bare endpoint's session set), one driver
// that asks the server to broadcast. Measures deliveries per second for a burst of COUNT broadcasts, and the time
// until the LAST member has a single broadcast (latency to the last member), TRIALS times each.
// Usage: node fanout.mjs ws://127.0.0.1:PORT/path[,ws://127.0.0.1:PORT2/path...] MODE MEMBERS COUNT SIZE TRIALS
// MODE: covet (a Covet room), bare (the bare endpoint, one send per frame), bare-batch (the bare endpoint with the
// container's batching and one flushBatch per member), socketio (socketio-server.mjs, spoken as Engine.IO v4 frames
// by this same lean client: "0{..}" open, "40" connect, "42[event,data]" events, "2"/"3" ping/pong).
// With several URLs (cluster nodes) the members are spread over them round-robin; the driver uses the first.
// Prints one JSON line: {mode, members, count, deliveriesPerSec: [..], lastMemberMs: [..], errors}; with SERVER_PID
// set (a server on this machine), also burstCpuTicks: the server's user+system clock ticks over the measured bursts
// alone (not connecting, joining or the single broadcasts); clientBusy is this process's CPU time over the bursts'
// wall time (burstMs): near 1.0, the load generator is the bottleneck.
import WebSocket from "ws";
import { readFileSync } from "node:fs";

const [urlsArg, mode, membersArg, countArg, sizeArg, trialsArg] = process.argv.slice(2);
const urls = urlsArg.split(",");
let opened = 0;
const members = Number(membersArg), count = Number(countArg), size = Number(sizeArg), trials = Number(trialsArg);
let errors = 0;
let received = 0;
let target = Infinity;
let onTarget = () => {};

function open(onMessage, url = urls[opened++ % urls.length]) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on("open", () => resolve(ws));
    ws.on("error", () => { errors++; resolve(null); });
    ws.on("message", (data) => onMessage?.(data, ws));
  });
}

const socketio = mode === "socketio";
const fanoutPrefix = socketio ? '42["fanout.message"' : '{"event":"fanout.message"';

/** Opens a connection and resolves once it can take part: joined (Covet), connected (Socket.IO) or open (bare). */
function member(url) {
  return new Promise(async (resolve) => {
    let joined = !(mode === "covet" || socketio);
    const ws = await open((data, ws) => {
      const text = data.toString();
      if (text.startsWith(fanoutPrefix)) {
        if (++received === target) onTarget();
      } else if (socketio && text === "2") {
        ws.send("3");
      } else if (socketio && text.startsWith("0")) {
        ws.send("40");
      } else if (!joined && (socketio ? text.startsWith("40") : text.includes('"replyTo":"j"'))) {
        joined = true;
        resolve(ws);
      }
    }, url);
    if (!ws) return resolve(null);
    if (mode === "covet") ws.send(JSON.stringify({ event: "$room.join", id: "j", data: { room: "fan" } }));
    else if (joined) resolve(ws);
  });
}

const sockets = [];
for (let i = 0; i < members; i += 250) {
  const batch = await Promise.all(Array.from({ length: Math.min(250, members - i) }, member));
  sockets.push(...batch.filter(Boolean));
}
// The driver is not a member: a bare or Covet driver joins nothing, a Socket.IO driver is excluded from its emits.
const driver = socketio ? await member(urls[0]) : await open(undefined, urls[0]);

function burst(n) {
  received = 0;
  target = sockets.length * n;
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const stuck = setTimeout(() => {
      console.log(JSON.stringify({ mode, members: sockets.length, incomplete: true, received, expected: target,
        open: sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length }));
      process.exit(2);
    }, 120000);
    onTarget = () => { clearTimeout(stuck); resolve(Number(process.hrtime.bigint() - start) / 1e6); };
    if (mode === "covet") driver.send(JSON.stringify({ event: "fanout.go", id: "g", data: { room: "fan", count: n, size } }));
    else if (socketio) driver.send(`42["go",${n},${size}]`);
    else driver.send(`go ${n} ${size}${mode === "bare-batch" ? " batch" : ""}`);
  });
}

const serverTicks = () => {
  if (!process.env.SERVER_PID) return 0;
  const fields = readFileSync(`/proc/${process.env.SERVER_PID}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
};
await burst(Math.min(count, 5));  // warm-up, not counted
const deliveriesPerSec = [];
const ticksBefore = serverTicks();
const cpuBefore = process.cpuUsage();
let burstMs = 0;
for (let t = 0; t < trials; t++) {
  const ms = await burst(count);
  burstMs += ms;
  deliveriesPerSec.push(Math.round(sockets.length * count / (ms / 1000)));
}
const burstCpuTicks = serverTicks() - ticksBefore;
// How busy this process was during the measured bursts: its CPU time over their wall time. Near 1.0 the one
// thread that parses every member's frames is saturated, and the load generator, not the server, sets the rate.
const cpuUsed = process.cpuUsage(cpuBefore);
const clientBusy = Math.round((cpuUsed.user + cpuUsed.system) / 1000 / burstMs * 100) / 100;
const lastMemberMs = [];
for (let t = 0; t < trials * 5; t++) {
  lastMemberMs.push(Math.round((await burst(1)) * 100) / 100);
}
console.log(JSON.stringify({ mode, members: sockets.length, count, size, deliveriesPerSec, lastMemberMs, errors,
  clientBusy, burstMs: Math.round(burstMs), ...(process.env.SERVER_PID ? { burstCpuTicks } : {}) }));
sockets.forEach((ws) => ws.terminate());
driver.terminate();
process.exit(0);
