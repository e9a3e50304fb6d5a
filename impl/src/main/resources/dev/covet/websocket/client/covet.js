// Covet WebSocket browser client (protocol v1): requests with replies and structured errors, events, rooms that
// recover what they missed by offset and epoch, reconnection with capped exponential backoff and full jitter, and
// token refresh before expiry. No dependencies, no build step: import { connect } from "<context>/covet/covet.js".
// Options and the reconnect policy are documented in docs/clients.md.

import { CovetError, Emitter } from "./base.js";
import { Rooms } from "./rooms.js";

export { CovetError };

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
// Close codes that mean "not now": the next attempt waits at least overloadedDelayMs.
const OVERLOAD_CLOSES = new Set([1013, 4029]);

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
