"use server";

import { listAction } from "@/lib/actions/safe-action";
import {
  digestActionSchema,
  moderatorPasswordSchema,
  runDigest,
  saveSettings,
  saveSettingsSchema,
  setModeratorPassword,
} from "@/lib/settings/settings";

/** One section of a list's settings; owners and superusers only (the guard checks per call). */
export const saveSettingsAction = listAction("administer")
  .inputSchema(saveSettingsSchema)
  .action(async ({ parsedInput, ctx }) => saveSettings(ctx.access, parsedInput));

export const digestAction = listAction("administer")
  .inputSchema(digestActionSchema)
  .action(async ({ parsedInput, ctx }) => runDigest(ctx.access, parsedInput.action));

export const moderatorPasswordAction = listAction("administer")
  .inputSchema(moderatorPasswordSchema)
  .action(async ({ parsedInput, ctx }) => {
    await setModeratorPassword(ctx.access, parsedInput.password);
    return { set: true as const };
  });
