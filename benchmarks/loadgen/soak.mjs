// Soak load: CONNECTIONS JWT-authenticated connections spread over ROOMS Covet rooms, kept for SECONDS while
// CHURN connections per second are replaced (half closed with 1000, half dropped without a close frame) and a
// driver broadcasts RATE room messages per second (fanout.go, one message each, rooms in turn). One in a hundred
// replacements is a "zombie" that never answers pings: the server must close it with 4011 (and it is replaced).
// Every room message carries the room's offset; a member must see offsets without a gap from its first one, and
// at the end every member present before the last broadcast must hold its room's last offset (the driver, a
// member of every room, knows the true last one).
// Prints a JSON status line every REPORT seconds and a final one with "final": true; exits 1 when a check failed.
// Usage: node soak.mjs ws://127.0.0.1:PORT/ws SECRET ISSUER AUDIENCE CONNECTIONS ROOMS SECONDS CHURN RATE [REPORT=60]
import WebSocket from "ws";
import { createHmac } from "node:crypto";

const [url, secret, issuer, audience, ...numbers] = process.argv.slice(2);
const [connections, rooms, seconds, churn, rate, report = 60] = numbers.map(Number);
const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString("base64url");
function token(user) {
  const body = b64({ alg: "HS256", typ: "JWT" }) + "." + b64({ sub: user, iss: issuer, aud: audience,
    exp: Math.floor(Date.now() / 1000) + seconds + 3600 });
  return body + "." + createHmac("sha256", secret).update(body).digest("base64url");
}

const stats = { opened: 0, openFailed: 0, closedByUs: 0, unexpectedCloses: {}, zombiesOpened: 0,
  zombiesClosed4011: 0, zombiesOverdue: 0, published: 0, acked: 0, publishErrors: 0, received: 0, gaps: 0,
  errors: 0 };
const live = new Set();
const pool = []; // the live members that are not zombies, for picking whom to replace
let users = 0;
let started = Date.now(); // reset once every connection is open: the soak's clock

/** A member: joins its room, checks its offsets are contiguous, and counts how its connection ended. */
function member(zombie = false) {
  const room = "soak-" + (users % rooms);
  const m = { room, zombie, lastOffset: null, joinedAt: null, openedAt: Date.now(), ours: false, ws: null };
  m.ws = new WebSocket(url, { headers: { Authorization: "Bearer " + token("soak" + users++) },
    perMessageDeflate: false, autoPong: !zombie });
  if (zombie) stats.zombiesOpened++;
  return new Promise((resolve) => {
    m.ws.on("open", () => {
      stats.opened++;
      live.add(m);
      if (!zombie) { m.index = pool.length; pool.push(m); }
      m.ws.send(JSON.stringify({ event: "$room.join", id: "j", data: { room } }));
      resolve(m);
    });
    m.ws.on("error", () => { if (!live.has(m)) { stats.openFailed++; resolve(null); } });
    m.ws.on("message", (data) => {
      const msg = JSON.parse(data.toString());
      if (msg.event === "fanout.message") {
        stats.received++;
        if (m.lastOffset !== null && msg.offset !== m.lastOffset + 1) stats.gaps++;
        m.lastOffset = msg.offset;
      } else if (msg.replyTo === "j") {
        m.joinedAt = Date.now();
      } else if (msg.event === "error") {
        stats.errors++;
      }
    });
    m.ws.on("close", (code) => {
      if (live.delete(m) && !zombie) leavePool(m);
      if (m.ours) return;
      if (zombie && code === 4011) {
        stats.zombiesClosed4011++;
        member();
      } else stats.unexpectedCloses[code] = (stats.unexpectedCloses[code] || 0) + 1;
    });
  });
}

function leavePool(m) {
  const moved = pool.pop();
  if (moved !== m) { pool[m.index] = moved; moved.index = m.index; }
}

for (let i = 0; i < connections; i += 250) {
  await Promise.all(Array.from({ length: Math.min(250, connections - i) }, () => member()));
}

// The driver publishes, and is a member of every room: what it receives is each room's true last offset.
const driver = new WebSocket(url, { headers: { Authorization: "Bearer " + token("soak-driver") },
  perMessageDeflate: false });
await new Promise((resolve) => driver.on("open", resolve));
const truth = new Map();
let driverJoined = 0;
driver.on("message", (data) => {
  const msg = JSON.parse(data.toString());
  if (msg.event === "fanout.message") {
    if (truth.has(msg.room) && msg.offset !== truth.get(msg.room) + 1) stats.gaps++;
    truth.set(msg.room, msg.offset);
  } else if (msg.event === "error") stats.publishErrors++;
  else if (msg.replyTo?.startsWith("j")) driverJoined++;
  else if (msg.replyTo) stats.acked++;
});
for (let r = 0; r < rooms; r++) {
  driver.send(JSON.stringify({ event: "$room.join", id: "j" + r, data: { room: "soak-" + r } }));
}
while (driverJoined < rooms) await new Promise((resolve) => setTimeout(resolve, 50));
driver.on("close", (code) => {
  stats.unexpectedCloses["driver " + code] = 1;
  console.log(JSON.stringify({ t: Math.round((Date.now() - started) / 1000), driverClosed: code }));
});
const lastPublished = new Map();

started = Date.now();
let nextRoom = 0;
const publisher = setInterval(() => {
  const due = Math.round(((Date.now() - started) / 1000) * rate) - stats.published;
  for (let i = 0; i < due; i++) {
    const room = "soak-" + (nextRoom++ % rooms);
    driver.send(JSON.stringify({ event: "fanout.go", id: String(stats.published++), data: { room, count: 1, size: 100 } }));
    lastPublished.set(room, Date.now());
  }
}, 10);
let churned = 0;
const churner = setInterval(() => {
  const due = Math.round(((Date.now() - started) / 1000) * churn) - churned;
  for (let i = 0; i < due; i++) {
    churned++;
    const victim = pool[Math.floor(Math.random() * pool.length)];
    if (victim) {
      victim.ours = true;
      live.delete(victim);
      leavePool(victim);
      stats.closedByUs++;
      if (churned % 2) victim.ws.close(1000); else victim.ws.terminate();
    }
    member(churned % 100 === 0);
  }
}, 10);

function status(extra = {}) {
  const now = Date.now();
  let overdue = 0;
  for (const m of live) if (m.zombie && now - m.openedAt > 60000) overdue++;
  stats.zombiesOverdue = Math.max(stats.zombiesOverdue, overdue);
  console.log(JSON.stringify({ t: Math.round((now - started) / 1000), open: live.size, ...stats, ...extra }));
}
status();
const reporter = setInterval(status, report * 1000);

await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
clearInterval(publisher);
clearInterval(churner);
clearInterval(reporter);
await new Promise((resolve) => setTimeout(resolve, 5000));

// Every member that was in its room before the room's last broadcast holds that broadcast.
let missingAtEnd = 0, checked = 0;
for (const m of live) {
  if (m.zombie || m.joinedAt === null || m.joinedAt >= (lastPublished.get(m.room) ?? 0)) continue;
  checked++;
  if (m.lastOffset !== truth.get(m.room)) missingAtEnd++;
}
status({ final: true, checkedAtEnd: checked, missingAtEnd });
const failed = stats.gaps || missingAtEnd || stats.openFailed || stats.publishErrors || stats.errors
  || stats.acked !== stats.published || stats.zombiesOverdue || Object.keys(stats.unexpectedCloses).length;
for (const m of live) m.ws.terminate();
driver.terminate();
process.exit(failed ? 1 : 0);
