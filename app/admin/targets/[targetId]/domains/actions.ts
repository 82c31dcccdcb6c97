"use server";

import { revalidatePath } from "next/cache";
import { superuserAction } from "@/lib/actions/safe-action";
import { createDomainSchema, deleteDomainSchema, updateDomainSchema } from "@/lib/domains/domain-input";
import { createDomain, deleteDomain, domainDeletionPreview, updateDomain } from "@/lib/domains/domains";

const previewSchema = deleteDomainSchema.omit({ confirm: true });

function refresh(targetId: number) {
  revalidatePath(`/admin/targets/${targetId}/domains`);
}

export const createDomainAction = superuserAction.inputSchema(createDomainSchema).action(async ({ parsedInput }) => {
  await createDomain(parsedInput);
  refresh(parsedInput.targetId);
});

export const updateDomainAction = superuserAction.inputSchema(updateDomainSchema).action(async ({ parsedInput }) => {
  await updateDomain(parsedInput);
  refresh(parsedInput.targetId);
});

export const deleteDomainAction = superuserAction.inputSchema(deleteDomainSchema).action(async ({ parsedInput }) => {
  const result = await deleteDomain(parsedInput);
  refresh(parsedInput.targetId);
  return result;
});

export const domainDeletionPreviewAction = superuserAction
  .inputSchema(previewSchema)
  .action(async ({ parsedInput }) => domainDeletionPreview(parsedInput.targetId, parsedInput.mailHost));
