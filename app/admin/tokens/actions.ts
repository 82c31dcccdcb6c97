"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { superuserAction } from "@/lib/actions/safe-action";
import { recordAudit } from "@/lib/audit";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { bodyId } from "@/lib/validation/ids";

export const createTokenAction = superuserAction.inputSchema(z.object({ name: z.string().trim().min(1, "Name the token.").max(100) })).action(async ({ parsedInput, ctx }) => {
  const { id, token } = await createApiToken(parsedInput.name, ctx.viewer.id);
  await recordAudit({ actorUserId: ctx.viewer.id, action: "api_token.create", subject: parsedInput.name, detail: { id } });
  revalidatePath("/admin/tokens");
  // Shown once: only its hash is stored.
  return { id, token };
});

export const revokeTokenAction = superuserAction.inputSchema(z.object({ id: bodyId })).action(async ({ parsedInput, ctx }) => {
  await revokeApiToken(parsedInput.id);
  await recordAudit({ actorUserId: ctx.viewer.id, action: "api_token.revoke", subject: String(parsedInput.id) });
  revalidatePath("/admin/tokens");
});
