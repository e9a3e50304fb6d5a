// Covet WebSocket browser client (protocol v1): requests with replies and structured errors, events, rooms that
// recover what they missed by offset and epoch, reconnection with capped exponential backoff and full jitter, and
// token refresh before expiry. No dependencies, no build step: import { connect } from "<context>/covet/covet.js".
// Options and the reconnect policy are documented in docs/clients.md.

const DEFAULTS = {
  protocols: ["covet"],
  initialDelayMs: 500,
  maxDelayMs: 30000,
  stableAfterMs: 10000,
  overloadedDelayMs: 5000,
  requestTimeoutMs: 10000,
  queueWhileDisconnected: true,
  maxQueued: 100,
  refreshBeforeSeconds: 30,
};

// Close codes after which reconnecting with the same credentials cannot help.
const AUTH_CLOSES = new Set([1008, 4001, 4003]);
// Failures of the client itself rather than answers of the server.
const CLIENT_SIDE = new Set(["timeout", "disconnected", "queue_full", "closed"]);
// Close codes that mean "not now": the next attempt waits at least overloadedDelayMs.
const OVERLOAD_CLOSES = new Set([1013, 4029]);

/** A refusal from the server: the error envelope's code, message and details; or a client-side failure. */
export class CovetError extends Error {
  constructor(code, message, details, retryAfterMs) {
    super(message);
    this.name = "CovetError";
    this.code = code;
    this.details = details;
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * Connects to a Covet endpoint and keeps connected until close().
 *
 * @param {string} url e.g. "wss://example.com/ws", or a path like "/ws" (resolved against the page)
 * @param {object} [options] see docs/clients.md
 * @returns {Client}
 */
export function connect(url, options = {}) {
  return new Client(url, { ...DEFAULTS, ...options });
}

class Emitter {
  constructor() {
    this.handlers = new Map();
  }

  on(event, handler) {
    if (!this.handlers.has(event)) {
      this.handlers.set(event, new Set());
    }
    this.handlers.get(event).add(handler);
    return () => this.off(event, handler);
  }

  off(event, handler) {
    this.handlers.get(event)?.delete(handler);
  }

  emit(event, ...args) {
    for (const handler of [...(this.handlers.get(event) || [])]) {
      try {
        handler(...args);
      } catch (e) {
        setTimeout(() => { throw e; });
      }
    }
  }
}

class Client extends Emitter {
  constructor(url, options) {
    super();
    this.url = url.startsWith("/") ? (location.protocol === "https:" ? "wss://" : "ws://") + location.host + url : url;
    this.options = options;
    this.state = "idle";
    this.token = options.token;
    this.socket = null;
    this.ids = 0;
    this.pending = new Map();
    this.queued = [];
    this.attempts = 0;
    this.closedByUser = false;
    this.timers = {};
    this.rooms = new Rooms(this);
    this.handshakes = 0;
    this._open();
  }

  /** Sends an event without waiting for an answer; queued while disconnected (bounded), or thrown. */
  send(event, data) {
    this._enqueue({ event, data });
  }

  /**
   * Sends a request; resolves with the reply's data (undefined for an ack), rejects with a CovetError.
   *
   * @returns {Promise<any>}
   */
  request(event, data, { timeoutMs = this.options.requestTimeoutMs } = {}) {
    return new Promise((resolve, reject) => {
      const id = String(++this.ids);
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.queued = this.queued.filter(frame => frame.id !== id);
        reject(new CovetError("timeout", `No answer to ${event} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, event });
      try {
        this._enqueue({ event, id, data });
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(e);
      }
    });
  }

  /** Closes for good: no reconnection; pending requests are rejected. */
  close() {
    this.closedByUser = true;
    Object.values(this.timers).forEach(clearTimeout);
    this._failPending(new CovetError("closed", "The client was closed"));
    this.queued = [];
    if (this.socket) {
      this.socket.close(1000, "client closed");
    }
    this._state("closed");
  }

  _enqueue(frame) {
    if (this.state === "connected") {
      this._write(frame);
      return;
    }
    if (!this.options.queueWhileDisconnected || this.closedByUser) {
      throw new CovetError("disconnected", "Not connected");
    }
    if (this.queued.length >= this.options.maxQueued) {
      throw new CovetError("queue_full", `${this.options.maxQueued} messages already wait for the connection`);
    }
    this.queued.push(frame);
  }

  _write(frame) {
    const envelope = { event: frame.event };
    if (frame.id !== undefined) {
      envelope.id = frame.id;
    }
    if (frame.data !== undefined) {
      envelope.data = frame.data;
    }
    this.socket.send(JSON.stringify(envelope));
  }

  _state(state, detail) {
    this.state = state;
    this.emit(state, detail);
  }

  async _open() {
    if (this.closedByUser) {
      return;
    }
    this._state("connecting");
    let token = this.token;
    if (this.options.getToken && (token === undefined || this.needsToken)) {
      try {
        token = await this.options.getToken();
      } catch (e) {
        this._retry({ code: 0, reason: "getToken failed: " + e.message });
        return;
      }
      this.needsToken = false;
    }
    this.token = token;
    const protocols = [...this.options.protocols];
    if (token) {
      protocols.push("covet.bearer." + token);
    }
    const WebSocketClass = this.options.WebSocket || WebSocket;
    const socket = new WebSocketClass(this.url, protocols);
    this.handshakes++;
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.openedAt = Date.now();
      this._connected();
    };
    socket.onmessage = message => this._receive(message.data);
    socket.onclose = event => {
      if (this.socket !== socket) {
        return;
      }
      this.socket = null;
      clearTimeout(this.timers.refresh);
      const stable = opened && Date.now() - this.openedAt >= this.options.stableAfterMs;
      if (!opened) {
        // Browsers hide why a handshake failed (401 and a network error look alike): a fresh token may help.
        this.needsToken = true;
      }
      if (stable) {
        this.attempts = 0;
      }
      this._failPending(new CovetError("disconnected", `Connection closed (${event.code})`), true);
      this._state("disconnected", { code: event.code, reason: event.reason, wasOpen: opened });
      this._retry(event);
    };
  }

  async _connected() {
    this._state("connected");
    this._scheduleRefresh(expiryOf(this.token));
    // Rooms rejoin first (recovering what they missed), then whatever was queued meanwhile goes out.
    await this.rooms._rejoin();
    const queued = this.queued;
    this.queued = [];
    for (const frame of queued) {
      if (this.state !== "connected") {
        this.queued.push(frame);
      } else if (frame.id === undefined || this.pending.has(frame.id)) {
        this._write(frame);
      }
    }
  }

  _retry(event) {
    if (this.closedByUser || event.code === 1000) {
      this._state("closed", event);
      return;
    }
    if (event.code === 4002 || AUTH_CLOSES.has(event.code)) {
      if (!this.options.getToken) {
        this._state("closed", event);
        return;
      }
      this.needsToken = true;
      if (AUTH_CLOSES.has(event.code)) {
        // Only a token different from the refused one is worth a new handshake.
        this._retryWithNewToken(event);
        return;
      }
    }
    const cap = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** this.attempts);
    let delay = Math.random() * cap;
    if (OVERLOAD_CLOSES.has(event.code)) {
      delay = Math.max(delay, this.options.overloadedDelayMs);
    }
    this.attempts++;
    this._state("reconnecting", { delayMs: Math.round(delay), attempt: this.attempts, code: event.code });
    this.timers.reconnect = setTimeout(() => this._open(), delay);
  }

  async _retryWithNewToken(event) {
    const refused = this.token;
    let fresh;
    try {
      fresh = await this.options.getToken();
    } catch (e) {
      fresh = undefined;
    }
    if (!fresh || fresh === refused) {
      this._state("closed", event);
      return;
    }
    this.token = fresh;
    this.needsToken = false;
    this.attempts++;
    this._state("reconnecting", { delayMs: 0, attempt: this.attempts, code: event.code });
    this._open();
  }

  _scheduleRefresh(expiresAt) {
    clearTimeout(this.timers.refresh);
    if (!expiresAt || !this.options.getToken) {
      return;
    }
    const delay = Math.max(0, (expiresAt - this.options.refreshBeforeSeconds) * 1000 - Date.now());
    this.timers.refresh = setTimeout(async () => {
      try {
        const token = await this.options.getToken();
        const answer = await this.request("$auth.refresh", { token });
        this.token = token;
        this.emit("refreshed", answer);
        this._scheduleRefresh(answer && answer.expiresAt);
      } catch (e) {
        this.emit("refresh-failed", e);
      }
    }, delay);
  }

  _receive(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch (e) {
      return;
    }
    if (frame.replyTo !== undefined && this.pending.has(frame.replyTo)) {
      const request = this.pending.get(frame.replyTo);
      this.pending.delete(frame.replyTo);
      clearTimeout(request.timer);
      if (frame.event === "error") {
        const error = frame.error || {};
        request.reject(new CovetError(error.code, error.message, error.details, error.retryAfterMs));
      } else {
        request.resolve(frame.data);
      }
      return;
    }
    if (frame.room !== undefined && this.rooms._deliver(frame)) {
      return;
    }
    this.emit(frame.event, frame.data, frame);
  }

  _failPending(error, keepQueued) {
    for (const [id, request] of this.pending) {
      if (keepQueued && this.queued.some(frame => frame.id === id)) {
        continue;
      }
      clearTimeout(request.timer);
      request.reject(error);
      this.pending.delete(id);
    }
  }
}

class Rooms {
  constructor(client) {
    this.client = client;
    this.joined = new Map();
    this.joining = new Map();
  }

  /**
   * Joins a room (again: recovering what was missed since the last offset seen, when the server still has it).
   *
   * @returns {Promise<Room>}
   */
  async join(name) {
    const room = this.joined.get(name) || this.joining.get(name) || new Room(this.client, name);
    this.joining.set(name, room);
    try {
      await room._join();
    } finally {
      this.joining.delete(name);
    }
    // Only a room the server admitted is rejoined after a reconnection.
    this.joined.set(name, room);
    return room;
  }

  /**
   * Creates a room with $room.create (the caller becomes its owner and joins it) and returns it as a joined room.
   *
   * @param {object} [options] the other fields of $room.create: type, maxMembers, historySize, postPolicy, metadata
   * @returns {Promise<Room>}
   */
  async create(name, options = {}) {
    const room = new Room(this.client, name);
    this.joining.set(name, room);
    try {
      await room._join("$room.create", options);
    } finally {
      this.joining.delete(name);
    }
    this.joined.set(name, room);
    return room;
  }

  /** @returns {Room|undefined} */
  get(name) {
    return this.joined.get(name);
  }

  async _rejoin() {
    await Promise.all([...this.joined.values()].map(room => room._join().catch(error => {
      // A rejoin cut short by the connection is tried again on the next one; a refusal drops the room.
      if (CLIENT_SIDE.has(error.code)) {
        return;
      }
      this.joined.delete(room.name);
      room.emit("lost", error);
    })));
  }

  _deliver(frame) {
    const room = this.joined.get(frame.room) || this.joining.get(frame.room);
    if (!room) {
      return false;
    }
    room._deliver(frame);
    return true;
  }
}

class Room extends Emitter {
  constructor(client, name) {
    super();
    this.client = client;
    this.name = name;
    this.offset = undefined;
    this.epoch = undefined;
  }

  /**
   * Joins, with since and epoch when a message was seen before. Room frames that arrive while the join is
   * answered wait, and are delivered in a task of their own after the reply (so that handlers registered right
   * after `await rooms.join()` get them): recovered messages, messages caused by the join and newer ones, once
   * each, in offset order, whatever the reply says.
   */
  async _join(command = "$room.join", options = {}) {
    this._flush();
    const data = { ...options, room: this.name };
    if (this.offset !== undefined && this.epoch !== undefined) {
      data.since = this.offset;
      data.epoch = this.epoch;
    }
    this.waiting = [];
    let answer;
    try {
      answer = await this.client.request(command, data);
    } catch (e) {
      this.waiting = null;
      throw e;
    }
    if (answer.recovered !== true) {
      if (data.since !== undefined) {
        this.emit("recovery-failed", { since: data.since, offset: answer.offset, epoch: answer.epoch });
      }
      this.offset = undefined;
    }
    this.epoch = answer.epoch;
    this.info = answer;
    this.joinedAt = answer.offset;
    setTimeout(() => this._flush(), 0);
    return answer;
  }

  /** Delivers what waited for the join's reply; from then on frames are delivered as they come. */
  _flush() {
    const waiting = this.waiting;
    if (!waiting) {
      return;
    }
    this.waiting = null;
    waiting.forEach(frame => this._deliver(frame));
    if (this.offset === undefined || this.offset < this.joinedAt) {
      this.offset = this.joinedAt;
    }
  }

  _deliver(frame) {
    if (this.waiting) {
      this.waiting.push(frame);
      return;
    }
    if (frame.offset !== undefined) {
      if (this.offset !== undefined && frame.offset <= this.offset) {
        return;
      }
      this.offset = frame.offset;
    }
    if (frame.event === "$room.gap") {
      this.emit("gap", frame.data);
      return;
    }
    this.emit(frame.event, frame.data, frame);
    if (frame.event === "$room.deleted") {
      // Rejoining would create the room afresh where the server auto-creates rooms: it is dropped instead.
      if (this.client.rooms.joined.get(this.name) === this) {
        this.client.rooms.joined.delete(this.name);
      }
      this.emit("lost", new CovetError("room_deleted", `Room '${this.name}' was deleted`));
    }
  }

  /** Leaves the room; it is no longer rejoined on reconnection. */
  async leave() {
    this.client.rooms.joined.delete(this.name);
    return this.client.request("$room.leave", { room: this.name });
  }

  /** @returns {Promise<object>} the room's presence, as `$presence` answers it */
  presence() {
    return this.client.request("$presence", { room: this.name });
  }
}

/** The `exp` of a JWT (seconds since the epoch), or undefined for anything else. */
function expiryOf(token) {
  if (!token || token.split(".").length !== 3) {
    return undefined;
  }
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(payload.padEnd(payload.length + (4 - payload.length % 4) % 4, "="))).exp;
  } catch (e) {
    return undefined;
  }
}
