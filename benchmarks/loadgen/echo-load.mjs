// Echo load: CONNECTIONS sockets, each keeping IN_FLIGHT requests outstanding, for SECONDS after WARMUP seconds.
// Prints one JSON line: {"url","messages","seconds","rate","p50Ms","p99Ms","errors"}.
// Usage: node echo-load.mjs ws://127.0.0.1:PORT/path [connections=100] [inFlight=10] [seconds=10] [warmup=3]
// A URL with /socket.io/ speaks Engine.IO v4 frames to socketio-server.mjs ("40" connect, 42["echo",DATA] both ways,
// "2"/"3" ping/pong), so the same lean client drives every server.
import WebSocket from "ws";

const [url, connections = 100, inFlight = 10, seconds = 10, warmup = 3] = process.argv.slice(2)
  .map((v, i) => (i === 0 ? v : Number(v)));
const text = "The quick brown fox jumps over the lazy dog";
let measuring = false, done = false, messages = 0, errors = 0, nextId = 0;
const latencies = [];
const socketio = url.includes("/socket.io/");

function frame(id) {
  return socketio ? `42["echo",{"id":"${id}","text":"${text}","n":${id}}]`
    : `{"event":"echo","id":"${id}","data":{"text":"${text}","n":${id}}}`;
}

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const sent = new Map();
    const send = () => { const id = nextId++; sent.set(String(id), process.hrtime.bigint()); ws.send(frame(id)); };
    const start = () => { for (let i = 0; i < inFlight; i++) send(); resolve(ws); };
    ws.on("open", () => { if (!socketio) start(); });
    ws.on("message", (data) => {
      const s = data.toString();
      if (socketio && !s.startsWith("42")) {
        if (s === "2") ws.send("3");
        else if (s.startsWith("40")) start();
        else if (s.startsWith("0")) ws.send("40");
        return;
      }
      const m = /"(?:replyTo|id)":"(\d+)"/.exec(s);
      if (!m || s.startsWith('{"event":"error"')) { errors++; }
      const started = m && sent.get(m[1]);
      if (started !== undefined) {
        sent.delete(m[1]);
        if (measuring) { messages++; latencies.push(Number(process.hrtime.bigint() - started) / 1e6); }
      }
      if (!done) send();
    });
    ws.on("error", reject);
  });
}

const sockets = await Promise.all(Array.from({ length: connections }, open));
await new Promise((r) => setTimeout(r, warmup * 1000));
measuring = true;
const start = process.hrtime.bigint();
await new Promise((r) => setTimeout(r, seconds * 1000));
measuring = false;
done = true;
const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN;
console.log(JSON.stringify({ url, messages, seconds: +elapsed.toFixed(2), rate: Math.round(messages / elapsed),
  p50Ms: +pct(0.5).toFixed(2), p99Ms: +pct(0.99).toFixed(2), errors }));
sockets.forEach((ws) => ws.terminate());
