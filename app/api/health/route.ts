/**
 * Liveness: the process answers. No database or core call, so a slow dependency never gets a
 * healthy process restarted. Public, and says nothing but "ok".
 */
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
