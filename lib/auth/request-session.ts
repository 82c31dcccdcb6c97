import { headers } from "next/headers";
import { cache } from "react";
import { sessionUserId } from "./session";

/**
 * The account id of the request's valid session, without the database: enough to start reads
 * that a page discards unread when the guard refuses (lib/lists/list-page.ts). Never a decision.
 */
export const currentSessionUserId = cache(async (): Promise<string | null> => sessionUserId(await headers()));
