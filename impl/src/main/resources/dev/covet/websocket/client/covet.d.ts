// Type declarations of the Covet WebSocket browser client (covet.js). See docs/clients.md.

export interface ConnectOptions {
  /** The bearer token sent at the handshake (as the subprotocol entry covet.bearer.<token>). */
  token?: string;
  /** Called for a token before each handshake that needs one, and before expiry to refresh it. */
  getToken?: () => string | Promise<string>;
  /** Subprotocols offered besides the token; default ["covet"]. */
  protocols?: string[];
  /** First reconnection delay cap, ms (default 500); doubles per failed attempt. */
  initialDelayMs?: number;
  /** Largest reconnection delay, ms (default 30000). */
  maxDelayMs?: number;
  /** A connection open this long resets the backoff, ms (default 10000). */
  stableAfterMs?: number;
  /** Least delay after a close with 1013 or 4029 (over capacity, rate limited), ms (default 5000). */
  overloadedDelayMs?: number;
  /** How long a request waits for its answer, ms (default 10000). */
  requestTimeoutMs?: number;
  /** Queue sends and requests made while disconnected (default true); false rejects them at once. */
  queueWhileDisconnected?: boolean;
  /** Most messages queued while disconnected (default 100). */
  maxQueued?: number;
  /** Refresh the token this many seconds before its exp (default 30). */
  refreshBeforeSeconds?: number;
  /** A WebSocket constructor to use instead of the global one. */
  WebSocket?: typeof WebSocket;
}

/** A refusal from the server (its error envelope), or a client-side failure (timeout, disconnected, ...). */
export class CovetError extends Error {
  /** The server's error code (bad_request, forbidden, ...), or timeout, disconnected, queue_full, closed. */
  readonly code: string;
  readonly details?: { path: string; message: string }[];
  readonly retryAfterMs?: number;
}

export type State = "idle" | "connecting" | "connected" | "disconnected" | "reconnecting" | "closed";

export interface Client {
  readonly state: State;
  /** Handshakes attempted since connect(). */
  readonly handshakes: number;
  readonly rooms: Rooms;
  /** Listens to an event pushed by the server, or to a state event. Returns a function that stops listening. */
  on(event: "connected" | "connecting", handler: () => void): () => void;
  on(event: "disconnected", handler: (info: { code: number; reason: string; wasOpen: boolean }) => void): () => void;
  on(event: "reconnecting", handler: (info: { delayMs: number; attempt: number; code: number }) => void): () => void;
  on(event: "closed", handler: (info: { code: number; reason: string }) => void): () => void;
  on(event: string, handler: (data: any, frame: any) => void): () => void;
  off(event: string, handler: (...args: any[]) => void): void;
  /** Sends an event without waiting for an answer. */
  send(event: string, data?: unknown): void;
  /** Resolves with the reply's data (undefined for an ack); rejects with a CovetError. */
  request<R = any>(event: string, data?: unknown, options?: { timeoutMs?: number }): Promise<R>;
  /** Closes for good. */
  close(): void;
}

export interface Rooms {
  /** Joins a room; it is rejoined, recovering what was missed, after every reconnection. */
  join(name: string): Promise<Room>;
  /** Creates a room ($room.create: the caller owns it and joins it); it is rejoined like a joined room. */
  create(name: string, options?: { type?: string; maxMembers?: number; historySize?: number; postPolicy?: string;
    metadata?: Record<string, string> }): Promise<Room>;
  get(name: string): Room | undefined;
}

export interface Room {
  readonly name: string;
  /** The last offset delivered. */
  readonly offset: number | undefined;
  readonly epoch: string | undefined;
  /** The last join (or create) reply: role, members, users, offset, epoch. */
  readonly info: { role: string; members: number; users: number; offset: number; epoch: string; recovered?: boolean };
  /** Room messages and pushes by event; "gap" ($room.gap), "recovery-failed" (reload), "lost" (a rejoin was refused, or the room was deleted: it is no longer rejoined). */
  on(event: "gap", handler: (gap: { room: string; from: number; to: number }) => void): () => void;
  on(event: "recovery-failed", handler: (info: { since: number; offset: number; epoch: string }) => void): () => void;
  on(event: "lost", handler: (error: CovetError) => void): () => void;
  on(event: string, handler: (data: any, frame: any) => void): () => void;
  off(event: string, handler: (...args: any[]) => void): void;
  leave(): Promise<unknown>;
  presence(): Promise<{ room: string; users: { user: string; role: string }[] }>;
}

export function connect(url: string, options?: ConnectOptions): Client;
