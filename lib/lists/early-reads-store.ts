import type { EarlyGets } from "@/lib/mailman/early";

/**
 * Where the proxy keeps a request's early GETs until the page takes them (./early-reads.ts).
 * Apart from the sending side, so that the page's client (lib/targets/request-client.ts) does not
 * load every page's read (./page-reads.ts) with it.
 *
 * The proxy and the pages are bundled apart, each with its own copy of this module: the kept
 * sets live on globalThis.
 */
export const EARLY_READS_HEADER = "x-listkeeper-early-reads";

const EXPIRE_MS = 30_000;
/** Beyond this many untaken sets, requests go without: a flood costs the core no more than before. */
const MAX_PENDING = 200;

export interface Pending {
  targetId: number;
  /** The session's account when the GETs were sent (null: none were). */
  userId: Promise<string | null>;
  gets: EarlyGets;
}

const holder = globalThis as unknown as { [key: symbol]: Map<string, Pending> | undefined };
const pending = (holder[Symbol.for("listkeeper.earlyReads")] ??= new Map());

/** Whether another set may be kept now. */
export function roomForListPageReads(): boolean {
  return pending.size < MAX_PENDING;
}

/** Keeps a request's set under `id` until it is taken or EXPIRE_MS have passed. */
export function keepListPageReads(id: string, set: Pending): void {
  pending.set(id, set);
  setTimeout(() => pending.delete(id), EXPIRE_MS).unref();
}

/**
 * The GETs the proxy sent for this request, for the page's client of `targetId`: only when they
 * were sent for that target and for the same session's account. Taken once.
 */
export async function takeListPageReads(id: string | null, targetId: number, userId: string | null): Promise<EarlyGets | null> {
  if (!id || !userId) return null;
  const found = pending.get(id);
  if (!found || found.targetId !== targetId) return null;
  pending.delete(id);
  return (await found.userId) === userId ? found.gets : null;
}
