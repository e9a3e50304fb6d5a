// Covet WebSocket browser client: what the connection (covet.js) and the rooms (rooms.js) both use, the event
// emitter and the error type.

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

export class Emitter {
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
