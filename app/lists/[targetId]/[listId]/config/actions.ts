"use server";

import { revalidatePath } from "next/cache";
import { listPath } from "@/components/list-header";
import { listAction } from "@/lib/actions/safe-action";
import { InvalidInputError } from "@/lib/errors";
import { copyApplySchema, copyPreviewSchema, importApplySchema, importPreviewSchema, parseConfigDocument } from "@/lib/list-config/document";
import { applyCopy, applyImport, planImport, previewCopy } from "@/lib/list-config/list-config";

/** Configuration as code (issue 11 item 6): owners and superusers of the list (and of each list copied to). */

function documentOf(text: string) {
  const parsed = parseConfigDocument(text);
  if ("problem" in parsed) throw new InvalidInputError(parsed.problem, { field: "document" });
  return parsed.document;
}

export const previewImportAction = listAction("administer")
  .inputSchema(importPreviewSchema)
  .action(({ parsedInput, ctx }) => planImport(ctx.access, documentOf(parsedInput.document), parsedInput));

export const applyImportAction = listAction("administer")
  .inputSchema(importApplySchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await applyImport(ctx.access, documentOf(parsedInput.document), parsedInput, { action: "list.config.import", source: "file" });
    revalidatePath(listPath(ctx.access.target.id, ctx.access.list.list_id), "layout");
    return result;
  });

export const previewCopyAction = listAction("administer")
  .inputSchema(copyPreviewSchema)
  .action(({ parsedInput, ctx }) => previewCopy(ctx.access, parsedInput.to, parsedInput));

export const applyCopyAction = listAction("administer")
  .inputSchema(copyApplySchema)
  .action(({ parsedInput, ctx }) => applyCopy(ctx.access, parsedInput.to, parsedInput));
