import type { Pipe } from "./pipe";
import type { SharedRingReader } from "./shared-ring-reader";
import type { SharedRingWriter } from "./shared-ring-writer";

/**
 * Joins an in-thread Pipe to one end of a shared ring, so a socket's patterns keep seeing
 * plain Pipes (peer.ts) while the messages cross threads: the building block for inproc://
 * between workers (issue 7). Back-pressure passes through in both directions: a full ring
 * leaves messages in the Pipe (whose HWM then stops the socket), a full Pipe leaves them in
 * the ring (which then refuses the other thread's writer). Each pump owns the signal it
 * waits on (the Pipe's onReadable or onWritable, the ring end's onWritable or onReadable).
 *
 * End and close cross too: a Pipe ended and drained ends the ring, a ring read to its END
 * ends the Pipe; a Pipe closed by its reader closes the ring's reader, and a ring whose
 * reader closed closes the Pipe feeding it.
 */

/** Moves messages from `pipe` (written by a socket in this thread) into the ring. */
export function pumpToRing(pipe: Pipe, writer: SharedRingWriter): void {
  const pump = (): void => {
    for (;;) {
      if (!pipe.checkRead()) {
        if (pipe.done) writer.end(); // ended and drained
        return;
      }
      if (!writer.write(pipe.peek()!)) {
        if (writer.closed) return pipe.close();
        writer.onWritable = pump;
        return;
      }
      pipe.read();
      // A batch goes out with one TAIL store: the writer flushes at the end of this run.
    }
  };
  pipe.onReadable = pump;
  pump();
}

/** Moves messages from the ring into `pipe` (read by a socket in this thread). */
export function pumpFromRing(reader: SharedRingReader, pipe: Pipe): void {
  const pump = (): void => {
    for (;;) {
      if (!pipe.checkWrite()) {
        if (pipe.closed) reader.close();
        else pipe.onWritable = pump;
        return;
      }
      const message = reader.read();
      if (message === undefined) {
        if (reader.done) pipe.end();
        else reader.onReadable = pump;
        return;
      }
      pipe.write(message);
    }
  };
  pump();
}
