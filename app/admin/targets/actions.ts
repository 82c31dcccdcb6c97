"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { superuserAction } from "@/lib/actions/safe-action";
import { connectionTestSchema, createTargetSchema, updateTargetSchema } from "@/lib/targets/target-input";
import { reconcileIfPoliciesChanged, targetRow } from "@/lib/provisioning/targets-api";
import { createTarget, deleteTarget, testTargetConnection, updateTarget } from "@/lib/targets/targets";
import { bodyId } from "@/lib/validation/ids";

const deleteTargetSchema = z.object({ id: bodyId, confirm: z.string().max(200) });

// The domain is optional: when given, the report also says whether it exists in the core yet.
const testConnectionSchema = connectionTestSchema.extend({ domain: z.string().trim().toLowerCase().max(253).optional() });

function refresh(id?: number) {
  revalidatePath("/admin/targets");
  if (id) revalidatePath(`/admin/targets/${id}`, "layout");
}

export const createTargetAction = superuserAction.inputSchema(createTargetSchema).action(async ({ parsedInput }) => {
  const { id } = await createTarget(parsedInput);
  refresh();
  return { id };
});

export const updateTargetAction = superuserAction.inputSchema(updateTargetSchema).action(async ({ parsedInput, ctx }) => {
  const before = await targetRow(parsedInput.id);
  await updateTarget(parsedInput);
  // As the API's PATCH: a policy that decides who is subscribed changed, so the target is reconciled.
  const jobIds = await reconcileIfPoliciesChanged(before, await targetRow(parsedInput.id), ctx.viewer.id);
  refresh(parsedInput.id);
  return { jobIds };
});

export const deleteTargetAction = superuserAction.inputSchema(deleteTargetSchema).action(async ({ parsedInput }) => {
  await deleteTarget(parsedInput.id, parsedInput.confirm);
  refresh();
});

export const testConnectionAction = superuserAction.inputSchema(testConnectionSchema).action(async ({ parsedInput }) => {
  const report = await testTargetConnection({ ...parsedInput, domain: parsedInput.domain || undefined });
  // A successful test of a saved server updates its "last verified" time.
  if (report.ok && parsedInput.id) refresh(parsedInput.id);
  return report;
});
