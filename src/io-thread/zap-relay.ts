import type { Context } from "../context";
import { askZap, type ZapAnswer, type ZapCall } from "../mechanisms/zap-client";
import { buffers, type ToMain, type ToWorker } from "./protocol";

/**
 * ZAP across threads (RFC 27). The handler is a socket bound at inproc://zeromq.zap.01 in
 * the application's thread, but handshakes run in an I/O thread: the I/O thread's side
 * (`ZapRelay`) posts each request to main and waits; main's side (`ZapDesk`) asks the
 * handler as an in-thread connection would and posts the verdict back.
 */
export class ZapRelay {
  readonly #post: (message: ToMain) => void;
  readonly #waiting = new Map<number, (answer: ZapAnswer) => void>();
  #nextId = 0;

  constructor(post: (message: ToMain) => void) {
    this.#post = post;
  }

  ask(request: Buffer[]): ZapCall {
    const id = this.#nextId++;
    const answer = new Promise<ZapAnswer>((resolve) => this.#waiting.set(id, resolve));
    this.#post({ t: "zap", id, request });
    return {
      answer,
      cancel: () => {
        if (!this.#settle(id, "gone")) return;
        this.#post({ t: "zap-cancel", id });
      },
    };
  }

  /** Main's verdict for request `id`. */
  answered(id: number, answer: Uint8Array[] | "none" | "gone"): void {
    this.#settle(id, typeof answer === "string" ? answer : buffers(answer));
  }

  #settle(id: number, answer: ZapAnswer): boolean {
    const settle = this.#waiting.get(id);
    if (settle === undefined) return false;
    this.#waiting.delete(id);
    settle(answer);
    return true;
  }
}

/** Main's side: answers an I/O thread's ZAP requests from the handler in `context`. */
export class ZapDesk {
  readonly #context: Context;
  readonly #post: (message: ToWorker) => void;
  readonly #calls = new Map<number, ZapCall>();

  constructor(context: Context, post: (message: ToWorker) => void) {
    this.#context = context;
    this.#post = post;
  }

  ask(id: number, request: Uint8Array[]): void {
    const call = askZap(this.#context, buffers(request));
    this.#calls.set(id, call);
    void call.answer.then((answer) => {
      if (this.#calls.delete(id)) this.#post({ t: "zap-answer", id, answer });
    });
  }

  cancel(id: number): void {
    const call = this.#calls.get(id);
    this.#calls.delete(id);
    call?.cancel();
  }

  /** The I/O thread is gone: drop its pending requests. */
  clear(): void {
    for (const call of this.#calls.values()) call.cancel();
    this.#calls.clear();
  }
}
