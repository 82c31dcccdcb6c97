import { setTimeout as delay } from "node:timers/promises";

/**
 * Waits `ms`, or less when `signal` aborts; never rejects. The abort listener goes with the
 * timer: a worker's signal lives as long as the worker, and a listener left behind by each retry
 * pause would pile up on it.
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (error) {
    if ((error as { name?: string }).name !== "AbortError") throw error;
  }
}
