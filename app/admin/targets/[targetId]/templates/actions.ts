"use server";

import { revalidatePath } from "next/cache";
import { superuserAction } from "@/lib/actions/safe-action";
import { clientForTarget } from "@/lib/targets/targets";
import {
  levelTemplateRefSchema,
  publishTemplate,
  resetTemplate,
  restoreLevelTemplateSchema,
  restoreRevision,
  saveLevelTemplateSchema,
  saveTemplate,
  type TemplateOwner,
} from "@/lib/templates/templates";

// Domain and site templates apply to every list below them: superusers only (console.md §6).

function ownerOf(input: { targetId: number; scope: "domain" | "site"; scopeId: string }): TemplateOwner {
  return { targetId: input.targetId, scope: input.scope, scopeId: input.scope === "site" ? "" : input.scopeId.toLowerCase() };
}

function refresh(targetId: number) {
  revalidatePath(`/admin/targets/${targetId}/templates`);
}

export const saveLevelTemplateAction = superuserAction.inputSchema(saveLevelTemplateSchema).action(async ({ parsedInput, ctx }) => {
  await saveTemplate(ownerOf(parsedInput), parsedInput.name, parsedInput.text, ctx.viewer.id);
  refresh(parsedInput.targetId);
  return { ok: true };
});

export const restoreLevelTemplateAction = superuserAction.inputSchema(restoreLevelTemplateSchema).action(async ({ parsedInput, ctx }) => {
  await restoreRevision(ownerOf(parsedInput), parsedInput.name, parsedInput.revisionId, ctx.viewer.id);
  refresh(parsedInput.targetId);
  return { ok: true };
});

export const publishLevelTemplateAction = superuserAction.inputSchema(levelTemplateRefSchema).action(async ({ parsedInput, ctx }) => {
  const { client } = await clientForTarget(parsedInput.targetId);
  const result = await publishTemplate(client, ownerOf(parsedInput), parsedInput.name, ctx.viewer.id);
  refresh(parsedInput.targetId);
  return { warning: result.warning };
});

export const resetLevelTemplateAction = superuserAction.inputSchema(levelTemplateRefSchema).action(async ({ parsedInput }) => {
  const { client } = await clientForTarget(parsedInput.targetId);
  await resetTemplate(client, ownerOf(parsedInput), parsedInput.name);
  refresh(parsedInput.targetId);
  return { ok: true };
});
