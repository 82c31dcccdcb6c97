import { checkReadiness } from "@/lib/ops/health";

/**
 * Readiness: 200 when the database answers and is migrated, 503 otherwise (take this process out
 * of the load balancer until it is). Public; the body holds states and counts only.
 */
export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const readiness = await checkReadiness();
  return Response.json(readiness, { status: readiness.status === "ready" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
