import { z } from "zod";
import { NotFoundError } from "@/lib/errors";
import { attachmentDisposition } from "@/lib/mail/mime";
import { loadHeldAttachment } from "@/lib/moderation/held";
import { listRouteParams, moderatedRoute } from "@/lib/moderation/route-response";

export const dynamic = "force-dynamic";

const params = listRouteParams.extend({
  requestId: z.coerce.number().int().nonnegative(),
  index: z.coerce.number().int().min(0).max(10_000),
});

type Context = { params: Promise<{ targetId: string; listId: string; requestId: string; index: string }> };

/**
 * One attachment of a held message, for moderators. Attacker-controlled content: always a
 * download (`attachment`, octet-stream, nosniff, a CSP sandbox), never rendered by the browser.
 */
export async function GET(_request: Request, { params: raw }: Context): Promise<Response> {
  return moderatedRoute(await raw, params, async ({ requestId, index }, access) => {
    const attachment = await loadHeldAttachment(access.client, access.list.list_id, requestId, index);
    if (!attachment) throw new NotFoundError("That attachment is gone: the message may have been handled meanwhile.");
    return new Response(new Uint8Array(attachment.bytes), {
      headers: {
        "content-type": "application/octet-stream",
        "content-disposition": attachmentDisposition(attachment.filename),
        "content-length": String(attachment.bytes.length),
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
        "cache-control": "private, no-store",
      },
    });
  });
}
