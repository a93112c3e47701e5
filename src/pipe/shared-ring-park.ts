/**
 * Waiting for the other thread without blocking this one, and waking it only when it waits.
 *
 * Seed §24.8: no object may block its worker thread, so a side that finds the ring empty
 * (reader) or full (writer) parks with Atomics.waitAsync, which returns a promise and
 * leaves the event loop running. Seed §24.9: atomics are costly, so the other side pays
 * for a notify only when a park flag says someone is waiting.
 *
 * The lost-wakeup race, and why it cannot happen: the parking side stores flag = 1 and then
 * loads the cell again; the publishing side stores the cell and then loads the flag. Atomics
 * are sequentially consistent, so at least one of the two loads sees the other's store:
 * either the parker sees the new value and does not wait, or the publisher sees the flag and
 * notifies. waitAsync itself also returns "not-equal" at once if the cell moved meanwhile.
 * This holds only if nobody but the parker writes its flag (see publish).
 *
 * A pending waitAsync does not keep Node's event loop alive (measured on Node 20), so a park
 * holds a ref'd timer until it ends (unless `holdsLoop` is false): a worker waiting for messages
 * does not exit under us.
 */
type WaitResult =
  | { async: false; value: "not-equal" | "timed-out" }
  | { async: true; value: Promise<"ok" | "timed-out"> };
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): WaitResult }).waitAsync;

const noop = (): void => {};

/** A park in progress; cancel() ends it without calling its callback. */
export interface Parking {
  cancel(): void;
}

/**
 * Calls `wake` (asynchronously, once) when control[cell] is no longer `seen`, or at once
 * if it already moved. `flag` is the cell that tells the publisher we wait.
 */
export function park(control: Int32Array, cell: number, flag: number, seen: number, wake: () => void, holdsLoop = true): Parking {
  seen |= 0; // the cells are Int32: compare counters as signed
  let live = true;
  const keepAlive = holdsLoop ? setTimeout(noop, 0x7fffffff) : undefined;
  const finish = (): void => {
    if (!live) return;
    live = false;
    clearTimeout(keepAlive);
    Atomics.store(control, flag, 0);
    wake();
  };
  Atomics.store(control, flag, 1);
  if (Atomics.load(control, cell) !== seen) {
    queueMicrotask(finish);
  } else {
    const result = waitAsync(control, cell, seen);
    if (result.async) void result.value.then(finish);
    else queueMicrotask(finish);
  }
  return {
    cancel(): void {
      if (!live) return;
      live = false;
      clearTimeout(keepAlive);
      Atomics.store(control, flag, 0);
      // Only this side waits on `cell`: release our own pending waitAsync rather than leave it
      // registered on the shared buffer for good (finish() then returns early).
      Atomics.notify(control, cell);
    },
  };
}

/**
 * Publishes a new value of `cell` (one atomic store) and notifies only if the other side parked.
 * Returns true when the notify woke it.
 *
 * The flag is the parker's alone to clear (finish, cancel). A publisher that cleared it could
 * wipe the flag of the next park: between our load of 1 and our store of 0, the parker may see
 * the new value by itself, wake, drain, park again (flag = 1) and reach waitAsync after our
 * notify; it would then wait with flag 0 and no later publish would notify it (the bench's
 * hangs under load). Until the woken parker clears its flag, publishes
 * notify an empty waiter list, which is cheap.
 */
export function publish(control: Int32Array, cell: number, flag: number, value: number): boolean {
  Atomics.store(control, cell, value | 0);
  if (Atomics.load(control, flag) === 0) return false;
  return Atomics.notify(control, cell) > 0;
}
