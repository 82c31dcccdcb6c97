"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { superuserAction } from "@/lib/actions/safe-action";
import { auditStep } from "@/lib/audit";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { bodyId } from "@/lib/validation/ids";

export const createTokenAction = superuserAction.inputSchema(z.object({ name: z.string().trim().min(1, "Name the token.").max(100) })).action(async ({ parsedInput, ctx }) => {
  const { id, token } = await auditStep({ action: "api_token.create", subject: parsedInput.name }, () => createApiToken(parsedInput.name, ctx.viewer.id), (made) => ({ id: made.id }));
  revalidatePath("/admin/tokens");
  // Shown once: only its hash is stored.
  return { id, token };
});

export const revokeTokenAction = superuserAction.inputSchema(z.object({ id: bodyId })).action(async ({ parsedInput }) => {
  await auditStep({ action: "api_token.revoke", subject: String(parsedInput.id) }, () => revokeApiToken(parsedInput.id));
  revalidatePath("/admin/tokens");
});
