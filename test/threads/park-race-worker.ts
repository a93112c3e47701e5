// One side of park-race.test.ts: a publisher that moves one cell as fast as it can, or a parker
// that waits for each move and parks again at once. Reports to the parent and exits on its own.
import { parentPort, workerData } from "node:worker_threads";
import { park, publish } from "../../src/pipe/shared-ring-park";

export const CELL = 0;
export const FLAG = 1;
/** Wake-ups the parker has had. */
export const WAKES = 2;
export const STOP = 3;

export interface ParkRaceJob {
  role: "publisher" | "parker";
  buffer: SharedArrayBuffer;
  /** Publisher: its number, and how many publish (values never repeat across publishers). */
  index: number;
  publishers: number;
  /** Publisher: how long to publish. */
  ms: number;
  /** Publisher: the parker's wake count standing still this long, while the cell moves, is a lost wake-up. */
  stallMs: number;
}

export interface ParkRaceReport {
  publishes: number;
  wakes: number;
  /** The parker missed a wake-up: it waited while the cell it waits on had moved. */
  lost: boolean;
}

function publisher(control: Int32Array, job: ParkRaceJob): ParkRaceReport {
  const end = performance.now() + job.ms;
  let value = job.index;
  let wakes = Atomics.load(control, WAKES);
  let since = performance.now();
  let lost = false;
  while (!lost) {
    for (let i = 0; i < 256; i++) publish(control, CELL, FLAG, (value += job.publishers));
    const now = performance.now();
    if (now > end || Atomics.load(control, STOP) === 1) break; // our time is up, or another's
    const seen = Atomics.load(control, WAKES);
    if (seen !== wakes) {
      wakes = seen;
      since = now;
    } else if (wakes > 0 && now - since > job.stallMs) lost = true; // judged once the parker runs
  }
  Atomics.store(control, STOP, 1);
  Atomics.add(control, CELL, 1);
  Atomics.notify(control, CELL); // frees a parker that lost its wake-up, so its thread ends
  return { publishes: (value - job.index) / job.publishers, wakes, lost };
}

function parker(control: Int32Array): void {
  const again = (): void => {
    Atomics.add(control, WAKES, 1);
    if (Atomics.load(control, STOP) === 1) return;
    park(control, CELL, FLAG, Atomics.load(control, CELL), again);
  };
  park(control, CELL, FLAG, Atomics.load(control, CELL), again);
}

const job = workerData as ParkRaceJob;
const control = new Int32Array(job.buffer);
if (job.role === "publisher") parentPort!.postMessage(publisher(control, job));
else parker(control);
