// Catches what must never happen in a library: an exception or rejection escaping into the
// process (STYLE.md point 9: a peer's fault closes that one connection, it never throws into
// user code). node:test reports these too, but only as a stray failure of whichever test runs
// at the time; this pins them to the test that caused them.

export interface ProcessGuard {
  /** Throws if anything escaped since the guard was set up. */
  check(): void;
  /** Removes the listeners. */
  dispose(): void;
}

export function guardProcess(): ProcessGuard {
  const escaped: unknown[] = [];
  const onException = (error: unknown) => escaped.push(error);
  const onRejection = (reason: unknown) => escaped.push(reason);
  process.on("uncaughtException", onException);
  process.on("unhandledRejection", onRejection);
  return {
    check() {
      if (escaped.length > 0) {
        const first = escaped[0];
        throw new Error(`${escaped.length} exception(s) escaped into the process; first: ${first instanceof Error ? first.stack : String(first)}`);
      }
    },
    dispose() {
      process.off("uncaughtException", onException);
      process.off("unhandledRejection", onRejection);
    },
  };
}
