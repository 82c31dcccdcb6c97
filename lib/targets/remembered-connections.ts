import type { MailmanConnection } from "@/lib/mailman";

/**
 * Targets' connections remembered for a few seconds, for the proxy's early GETs only
 * (lib/lists/early-reads.ts): reading a target's row there would hold the GETs until Next.js's
 * render set-up lets the database's answer in, which is what sending early avoids. What a stale
 * one can cost is those GETs: an answer is only handed to a client asking with the same URL and
 * credentials (lib/mailman/early.ts), and a target that changes or goes is forgotten at once.
 *
 * On globalThis: the proxy and the pages are bundled apart, each with its own copy of this module.
 */
const REMEMBER_MS = 10_000;

type Remembered = Map<number, { connection: Promise<MailmanConnection>; until: number }>;
const holder = globalThis as unknown as { [key: symbol]: Remembered | undefined };
const remembered = (holder[Symbol.for("listkeeper.rememberedConnections")] ??= new Map());

export function rememberedConnection(targetId: number, read: (targetId: number) => Promise<MailmanConnection>, now = Date.now()): Promise<MailmanConnection> {
  const known = remembered.get(targetId);
  if (known && known.until > now) return known.connection;
  const connection = read(targetId);
  remembered.set(targetId, { connection, until: now + REMEMBER_MS });
  connection.catch(() => remembered.delete(targetId));
  return connection;
}

/** After a target's URL, user or password changed, or it was removed. */
export function forgetTargetConnection(targetId: number): void {
  remembered.delete(targetId);
}
