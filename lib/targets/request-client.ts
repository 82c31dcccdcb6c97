import { headers } from "next/headers";
import { cache } from "react";
import { currentSessionUserId } from "@/lib/auth/request-session";
import { EARLY_READS_HEADER, takeListPageReads } from "@/lib/lists/early-reads-store";
import { nodeCoreFetch } from "@/lib/mailman/transport";
import { clientForTarget } from "./targets";

/**
 * `clientForTarget` once per server render (React's `cache`): a list page's guard and the read it
 * starts beside it share one database read and one password decryption. Within a request (a page
 * or a route handler), the client answers the GETs the proxy sent ahead for it
 * (lib/lists/early-reads.ts) from their kept answers; only the first client of the request takes
 * them. Outside a request (scripts, tests) it is `clientForTarget` itself.
 */
export const clientForTargetInRequest = cache(async (targetId: number) => {
  const early = await takeListPageReads(await earlyReadsId(), targetId, await currentSessionUserId().catch(() => null));
  return clientForTarget(targetId, early ? { transport: early.taker(nodeCoreFetch) } : {});
});

async function earlyReadsId(): Promise<string | null> {
  try {
    return (await headers()).get(EARLY_READS_HEADER);
  } catch {
    // Not inside a request (a script, a test).
    return null;
  }
}
