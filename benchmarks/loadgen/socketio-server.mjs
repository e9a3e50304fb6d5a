// The Socket.IO 4.8 reference for the side-by-side benchmarks: its documented defaults (in-memory adapter, no
// per-message compression), so the figures are what a team running a Socket.IO sidecar gets. Every connection
// joins the room "fan"; the event ["go", COUNT, SIZE] emits COUNT messages to the room (the sender excluded, as
// Covet's and the bare drivers are not members) and then "ack"; ["echo", DATA] answers ["echo", DATA].
// Usage: node socketio-server.mjs PORT
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.argv[2]);
const http = createServer();
const io = new Server(http);
io.on("connection", (socket) => {
  socket.join("fan");
  socket.on("go", (count, size) => {
    const text = "x".repeat(size);
    for (let i = 0; i < count; i++) {
      socket.to("fan").emit("fanout.message", { sentNanos: Date.now(), seq: i, text });
    }
    socket.emit("ack");
  });
  socket.on("echo", (data) => socket.emit("echo", data));
});
http.listen(port, "127.0.0.1", () => console.log(`socket.io ready on port ${port}`));
