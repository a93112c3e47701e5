const SETTLED: Promise<void> = Promise.resolve();

/**
 * Runs `task` in the microtask queue, as the global queueMicrotask does, without what Node's
 * version makes per call (an AsyncResource and a bound function, some 400 heap bytes): a
 * then() on a settled promise costs a reaction and the promise it returns. For tasks that
 * do not throw (a throw would surface as an unhandled rejection).
 */
export function microtask(task: () => void): void {
  void SETTLED.then(task);
}
