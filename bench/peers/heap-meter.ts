// Counts the bytes allocated on the V8 heap between start() and stop(). V8 has no running
// "bytes allocated" counter that Node exposes, so we rebuild it from GC events: whatever the
// heap grew by, plus whatever each collection in between freed:
//
//   allocated = used(stop) - used(start) + sum over GCs of (used before GC - used after GC)
//
// v8.GCProfiler (Node >= 18.15) records the heap statistics before and after every GC.
// start() collects twice first (needs --expose-gc) so that the interval begins from a settled
// heap. Buffer contents live outside the heap (ArrayBuffer backing stores); only the JS
// objects around them (Buffer views, arrays, promises, closures) are counted here.
import * as v8 from "node:v8";

export interface HeapCount {
  allocatedBytes: number;
  gcs: number; // collections of any kind during the interval
  scavenges: number; // young-generation collections only
}

export class HeapMeter {
  #profiler: v8.GCProfiler | undefined;
  #usedAtStart = 0;

  start(): void {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error("HeapMeter needs node --expose-gc");
    gc();
    gc();
    this.#usedAtStart = v8.getHeapStatistics().used_heap_size;
    this.#profiler = new v8.GCProfiler();
    this.#profiler.start();
  }

  stop(): HeapCount {
    const usedAtStop = v8.getHeapStatistics().used_heap_size;
    const result = this.#profiler!.stop();
    let freed = 0;
    let scavenges = 0;
    for (const event of result.statistics) {
      freed += event.beforeGC.heapStatistics.usedHeapSize - event.afterGC.heapStatistics.usedHeapSize;
      if (event.gcType === "Scavenge") scavenges++;
    }
    return { allocatedBytes: usedAtStop - this.#usedAtStart + freed, gcs: result.statistics.length, scavenges };
  }
}
