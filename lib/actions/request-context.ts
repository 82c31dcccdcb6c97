import "server-only";
import { headers } from "next/headers";
import type { RequestContext } from "@/lib/accounts/accounts";
import { clientAddress } from "@/lib/auth/client-address";

/** Who sent the request, for the rate limits of public actions (sign-up, reset, subscribe). */
export async function requestContext(): Promise<RequestContext> {
  return { clientAddress: clientAddress(await headers()) };
}
