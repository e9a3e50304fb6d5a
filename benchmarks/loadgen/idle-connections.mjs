// Opens COUNT idle connections (each authenticated with its own HS256 token when SECRET is given) and keeps
// them open until stdin closes. Prints "open N" when all are open, "failed N" if some could not connect.
// Usage: node idle-connections.mjs ws://127.0.0.1:PORT/path COUNT [SECRET ISSUER AUDIENCE]
import WebSocket from "ws";
import { createHmac } from "node:crypto";

const [url, count, secret, issuer, audience] = process.argv.slice(2);
const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString("base64url");
function token(user) {
  const body = b64({ alg: "HS256", typ: "JWT" }) + "." + b64({ sub: user, iss: issuer, aud: audience,
    exp: Math.floor(Date.now() / 1000) + 3600 });
  return body + "." + createHmac("sha256", secret).update(body).digest("base64url");
}

const sockets = [];
let opened = 0, failed = 0;
await new Promise((resolve) => {
  let pending = Number(count);
  const done = () => { if (--pending === 0) resolve(); };
  for (let i = 0; i < Number(count); i++) {
    const headers = secret ? { Authorization: "Bearer " + token("user" + i) } : {};
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    ws.on("open", () => { opened++; done(); });
    ws.on("error", () => { failed++; done(); });
    sockets.push(ws);
  }
});
console.log(failed ? `failed ${failed}` : `open ${opened}`);
process.stdin.resume();
process.stdin.on("end", () => { sockets.forEach((ws) => ws.terminate()); process.exit(0); });
