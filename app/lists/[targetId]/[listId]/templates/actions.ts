"use server";

import { revalidatePath } from "next/cache";
import { listAction } from "@/lib/actions/safe-action";
import {
  listTemplateRefSchema,
  publishTemplate,
  resetTemplate,
  restoreListTemplateSchema,
  restoreRevision,
  saveListTemplateSchema,
  saveTemplate,
  type TemplateOwner,
} from "@/lib/templates/templates";

// The guard resolved the list in the core: its canonical list_id, not the raw input, names the level.
function ownerOf(ctx: { access: { target: { id: number }; list: { list_id: string } } }): TemplateOwner {
  return { targetId: ctx.access.target.id, scope: "list", scopeId: ctx.access.list.list_id };
}

function refresh(targetId: number, listId: string) {
  revalidatePath(`/lists/${targetId}/${encodeURIComponent(listId)}/templates`);
}

export const saveListTemplateAction = listAction("administer")
  .inputSchema(saveListTemplateSchema)
  .action(async ({ parsedInput, ctx }) => {
    await saveTemplate(ownerOf(ctx), parsedInput.name, parsedInput.text, ctx.viewer.id);
    refresh(parsedInput.targetId, ctx.access.list.list_id);
    return { ok: true };
  });

export const restoreListTemplateAction = listAction("administer")
  .inputSchema(restoreListTemplateSchema)
  .action(async ({ parsedInput, ctx }) => {
    await restoreRevision(ownerOf(ctx), parsedInput.name, parsedInput.revisionId, ctx.viewer.id);
    refresh(parsedInput.targetId, ctx.access.list.list_id);
    return { ok: true };
  });

export const publishListTemplateAction = listAction("administer")
  .inputSchema(listTemplateRefSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await publishTemplate(ctx.access.client, ownerOf(ctx), parsedInput.name, ctx.viewer.id);
    refresh(parsedInput.targetId, ctx.access.list.list_id);
    return { warning: result.warning };
  });

export const resetListTemplateAction = listAction("administer")
  .inputSchema(listTemplateRefSchema)
  .action(async ({ parsedInput, ctx }) => {
    await resetTemplate(ctx.access.client, ownerOf(ctx), parsedInput.name);
    refresh(parsedInput.targetId, ctx.access.list.list_id);
    return { ok: true };
  });
