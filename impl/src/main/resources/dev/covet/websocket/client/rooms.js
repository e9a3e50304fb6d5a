// Covet WebSocket browser client: rooms, rejoined after every reconnection, recovering by offset and epoch what
// they missed, each offset once and in order.

import { CovetError, Emitter } from "./base.js";

// Failures of the client itself rather than answers of the server.
const CLIENT_SIDE = new Set(["timeout", "disconnected", "queue_full", "closed"]);

export class Rooms {
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
      if (!CLIENT_SIDE.has(error.code)) {
        this._drop(room, error);
      }
    })));
  }

  /** The room is gone (a refused rejoin, a deletion): it is no longer rejoined, and emits "lost". */
  _drop(room, error) {
    if (this.joined.get(room.name) === room) {
      this.joined.delete(room.name);
    }
    room.emit("lost", error);
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
      this.client.rooms._drop(this, new CovetError("room_deleted", `Room '${this.name}' was deleted`));
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
