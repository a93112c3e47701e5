import type { Message } from "../message";
import type { Pipe } from "../pipe/pipe";

/** What we offer a full pipe to make it remember its writer; a full pipe never queues it. */
const PROBE: Message = [];

/**
 * True when `pipe` would take a message now (libzmq's pipe_t::check_write). When it would
 * not, the pipe is asked to signal its writer (`onWritable`) once it drains, so a strategy
 * that returns "cannot send" here is sure to hear an `activate` later.
 *
 * A pipe that fills up by accepted writes does not yet know anyone waits: only a refused
 * write tells it so. A full pipe refuses every write and queues nothing, so offering it
 * an empty message is exactly that refusal. Without it, a socket that checked `canSend`,
 * saw false, and waited for an activate would wait forever.
 */
export function checkWrite(pipe: Pipe): boolean {
  if (!pipe.full) return true;
  pipe.write(PROBE);
  return false;
}
