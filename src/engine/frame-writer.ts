import type { Socket } from "node:net";
import type { Message } from "../message";
import type { Pipe } from "../pipe/pipe";
import { encodeCancel, encodeSubscribe } from "../zmtp/commands";
import { FrameEncoder } from "../zmtp/encoder";

/** At most this many bytes are encoded for one write; the rest waits for the stream to take it. */
export const WRITE_CAP = 256 * 1024;

/**
 * Moves messages from the outbound pipe to the stream, batched (DESIGN.md, 24.6):
 * `onReadable` schedules one flush with process.nextTick, so the messages sent by the
 * code running now (a loop of `await send()` included: its microtasks run first) leave in
 * one write, before the event loop turns: an idle connection adds no turn to a message's
 * latency. (A microtask would not do: each awaited send() queues one, so the flush would
 * run between every two sends, one write per message; measured on a 16 B tcp PUSH, 1 write
 * per message and 146 k msg/s against 1 per 512 and 2.6 M msg/s with nextTick.)
 * A flush reads what is queued (up to WRITE_CAP), encodes it and writes it: one buffer for
 * small messages, or several corked into one writev when large bodies go by reference. A
 * flush that hit the cap continues on the next turn (setImmediate), letting I/O in between.
 * When the stream is backed up (`write` returned false) nothing more is read from the pipe
 * until 'drain', which then takes all that queued meanwhile in one write; the pipe's
 * high-water mark pushes back on the socket.
 *
 * The stream is ref()ed while messages wait to be written and unref()ed once the pipe
 * is empty and the stream has taken everything, so the process does not exit with
 * queued messages but an idle connection keeps nothing alive.
 */
export class FrameWriter {
  readonly #stream: Socket;
  readonly #encoder = new FrameEncoder();
  #pipe: Pipe | undefined = undefined;
  /** Send single-frame subscriptions as SUBSCRIBE/CANCEL commands (SUB/XSUB to a ZMTP 3.1 peer). */
  #subscriptionCommands = false;
  #scheduled = false;
  #waitingDrain = false;
  #refed = false;
  #closed = false;
  /** Called when a flush found the pipe empty and nothing waits for 'drain'. */
  onIdle: (() => void) | undefined = undefined;

  constructor(stream: Socket) {
    this.#stream = stream;
    stream.on("drain", this.#onDrain);
  }

  /** Starts reading `pipe`; whatever it already holds is flushed on the next turn. */
  attach(pipe: Pipe, subscriptionCommands: boolean): void {
    this.#pipe = pipe;
    this.#subscriptionCommands = subscriptionCommands;
    pipe.onReadable = this.schedule;
    this.schedule();
  }

  /** Bytes encoded but not yet written. */
  get pendingBytes(): number {
    return this.#encoder.pendingBytes;
  }

  /** Queues a command (handshake, PONG, PING) for the next flush. */
  command(body: Buffer): void {
    this.#encoder.command(body);
  }

  /** Writes raw bytes at once (the greeting). */
  writeRaw(bytes: Buffer): void {
    if (!this.#closed) this.#stream.write(bytes);
  }

  /** Schedules one flush once the code running now is done (the pipe's onReadable). */
  readonly schedule = (): void => {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    this.#ref(true);
    process.nextTick(this.#flushScheduled);
  };

  /** Schedules the rest of a capped flush on the next turn of the event loop. */
  #scheduleNextTurn(): void {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    setImmediate(this.#flushScheduled);
  }

  /** Stops for good: forgets the pipe and writes nothing more; with `destroy`, destroys the stream too. */
  close(destroy = false): void {
    this.#closed = true;
    if (this.#pipe !== undefined && this.#pipe.onReadable === this.schedule) this.#pipe.onReadable = undefined;
    this.#pipe = undefined;
    this.onIdle = undefined;
    this.#stream.off("drain", this.#onDrain);
    if (destroy) this.#stream.destroy();
  }

  /**
   * Sends one last command (an ERROR before disconnecting), then ends the stream and
   * destroys it once the bytes are out. Nothing from the pipe goes with it.
   */
  closeWith(body: Buffer): void {
    const stream = this.#stream;
    if (this.#closed || !stream.writable) return this.close(true);
    this.#encoder.command(body);
    this.#write(this.#encoder.take());
    this.close();
    stream.pause();
    stream.once("finish", () => stream.destroy());
    stream.end();
  }

  /** Encodes what is queued and writes it now. */
  flush(): void {
    if (this.#closed || this.#waitingDrain) return;
    if (this.#stream.writableEnded) {
      // The stream ended under us (the peer left): leave the messages for the next connection.
      this.#ref(false);
      return;
    }
    const encoder = this.#encoder;
    const pipe = this.#pipe;
    let empty = true;
    if (pipe !== undefined) {
      empty = false;
      while (encoder.pendingBytes < WRITE_CAP) {
        const message = pipe.read();
        if (message === undefined) {
          empty = true;
          break;
        }
        if (this.#subscriptionCommands) this.#encodeSubscription(message);
        else encoder.message(message);
      }
    }
    if (encoder.pendingBytes > 0) this.#write(encoder.take());
    if (this.#waitingDrain) return;
    if (!empty) {
      this.#scheduleNextTurn();
      return;
    }
    if (!this.#scheduled) this.#ref(false);
    this.onIdle?.();
  }

  #write(buffers: Buffer[]): void {
    const stream = this.#stream;
    let ok: boolean;
    if (buffers.length === 1) {
      ok = stream.write(buffers[0]);
    } else {
      stream.cork();
      ok = true;
      for (let i = 0; i < buffers.length; i++) ok = stream.write(buffers[i]);
      stream.uncork();
    }
    if (!ok) this.#waitingDrain = true;
  }

  /**
   * RFC 37 "The Publish-Subscribe Pattern": a SUB or XSUB peer "SHALL send a SUBSCRIBE
   * command" (and CANCEL). The socket layer writes the ZMTP 3.0 form, a message whose
   * first byte is 1 or 0 followed by the topic; for 3.1 peers it becomes a command.
   */
  #encodeSubscription(message: Message): void {
    const first = message[0];
    if (message.length !== 1 || first.length === 0 || first[0] > 1) {
      this.#encoder.message(message);
      return;
    }
    const topic = first.subarray(1);
    this.#encoder.command(first[0] === 1 ? encodeSubscribe(topic) : encodeCancel(topic));
  }

  readonly #flushScheduled = (): void => {
    this.#scheduled = false;
    this.flush();
  };

  readonly #onDrain = (): void => {
    if (!this.#waitingDrain) return;
    this.#waitingDrain = false;
    this.flush();
  };

  #ref(on: boolean): void {
    if (on === this.#refed) return;
    this.#refed = on;
    if (on) this.#stream.ref();
    else this.#stream.unref();
  }
}
