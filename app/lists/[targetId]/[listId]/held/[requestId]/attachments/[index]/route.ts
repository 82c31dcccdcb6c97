import { z } from "zod";
import { consoleRoute } from "@/lib/entry/route";
import { NotFoundError } from "@/lib/errors";
import { attachmentDisposition } from "@/lib/mail/mime";
import { loadHeldAttachment } from "@/lib/moderation/held";

export const dynamic = "force-dynamic";

const params = z.object({
  requestId: z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  index: z.coerce.number().int().min(0).max(10_000),
});

/**
 * One attachment of a held message, for moderators. Attacker-controlled content: always a
 * download (`attachment`, octet-stream, nosniff, a CSP sandbox), never rendered by the browser.
 */
export const GET = consoleRoute({ access: "signed_in", list: "moderate", params }, async ({ list, params: { requestId, index } }) => {
  const attachment = await loadHeldAttachment(list.client, list.list.list_id, requestId, index);
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
