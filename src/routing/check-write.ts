import type { Message } from "../message";
import type { Pipe } from "../pipe/pipe";

/** What we offer a full pipe to make it remember its writer; a full pipe never queues it. */
const PROBE: Message = [];

/**
 * True when `pipe` would take a message now (libzmq's pipe_t::check_write). When it is
 * full, the pipe is asked to signal its writer (`onWritable`) once it drains, so a strategy
 * that returns "cannot send" here is sure to hear an `activate` later. (A closed or ended
 * pipe refuses for good and never signals: its peer is on its way to `detach`.)
 *
 * A pipe that fills up by accepted writes does not yet know anyone waits: only a refused
 * write tells it so. A full pipe refuses every write and queues nothing, so offering it
 * an empty message is exactly that refusal. Without it, a socket that checked `canSend`,
 * saw false, and waited for an activate would wait forever. (Pipe has `checkRead` for the
 * reading side; a `checkWrite` there would make this file unnecessary.)
 */
export function checkWrite(pipe: Pipe): boolean {
  if (!pipe.full) return true;
  pipe.write(PROBE);
  return false;
}
