// Handshake rate: opens TOTAL connections, CONCURRENCY at a time, each dropped as soon as it is open; with SECRET,
// every connection carries its own HS256 token (made before the clock starts, so signing is not measured).
// Prints one JSON line: {"auth","total","concurrency","seconds","rate","failed"}.
// Usage: node connect-rate.mjs ws://127.0.0.1:PORT/path TOTAL CONCURRENCY [SECRET ISSUER AUDIENCE]
import WebSocket from "ws";
import { createHmac } from "node:crypto";

const [url, totalArg, concurrencyArg, secret, issuer, audience] = process.argv.slice(2);
const total = Number(totalArg), concurrency = Number(concurrencyArg);
const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString("base64url");
function token(user) {
  const body = b64({ alg: "HS256", typ: "JWT" }) + "." + b64({ sub: user, iss: issuer, aud: audience,
    exp: Math.floor(Date.now() / 1000) + 3600 });
  return body + "." + createHmac("sha256", secret).update(body).digest("base64url");
}
const headers = Array.from({ length: total }, (_, i) => (secret ? { Authorization: "Bearer " + token("user" + i) } : {}));

let next = 0, failed = 0;
function one() {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: headers[next++], perMessageDeflate: false });
    ws.on("open", () => { ws.terminate(); resolve(); });
    ws.on("error", () => { failed++; resolve(); });
  });
}
async function worker() {
  while (next < total) await one();
}
const start = process.hrtime.bigint();
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ auth: secret ? "jwt" : "none", total, concurrency, seconds: +seconds.toFixed(2),
  rate: Math.round(total / seconds), failed }));
