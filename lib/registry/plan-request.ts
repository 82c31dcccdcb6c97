import { z } from "zod";
import { InvalidInputError } from "@/lib/errors";
import { getTargetView, policyChangeInput } from "@/lib/provisioning/targets-api";
import { emailListCreateInput, emailListUpdateInput, groupUpdateInput } from "./inputs";
import { previewChange, previewJobsPlan, previewTargetPolicy, type PlanPreview } from "./preview";
import { createEmailList, deleteEmailList, deleteGroup, deletePerson, getEmailList, getGroup, getPerson, provisionEmailList, provisionPerson, updateEmailList, updateGroup } from "./registry";
import { bodyId } from "@/lib/validation/ids";

/**
 * The changes the console offers a plan for before acting, with the same input schemas as the
 * API (inputs.ts). Each plan is the one of the registry function the matching action then calls.
 */
const id = bodyId;

export const planRequest = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("createEmailList"), input: emailListCreateInput }),
  z.object({ kind: z.literal("updateEmailList"), emailListId: id, input: emailListUpdateInput }),
  z.object({ kind: z.literal("provisionEmailList"), emailListId: id }),
  z.object({ kind: z.literal("deleteEmailList"), emailListId: id }),
  z.object({ kind: z.literal("updateGroup"), groupId: id, input: groupUpdateInput }),
  z.object({ kind: z.literal("deleteGroup"), groupId: id }),
  z.object({ kind: z.literal("provisionPerson"), personId: id }),
  z.object({ kind: z.literal("deletePerson"), personId: id }),
  z.object({ kind: z.literal("reconcileTarget"), targetId: id }),
  z.object({ kind: z.literal("updateTargetPolicy"), targetId: id, input: policyChangeInput }),
]);
export type PlanRequest = z.infer<typeof planRequest>;

export type PlanAnswer = Pick<PlanPreview, "summary"> & { jobCount: number };

export async function planFor(request: PlanRequest): Promise<PlanAnswer> {
  const preview = await previewOf(request);
  return { summary: preview.summary, jobCount: preview.jobs.length };
}

async function previewOf(r: PlanRequest): Promise<PlanPreview> {
  switch (r.kind) {
    case "createEmailList":
      return previewChange(() => createEmailList(r.input));
    case "updateEmailList":
      return previewChange(() => updateEmailList(r.emailListId, r.input));
    case "provisionEmailList":
      return previewChange(() => provisionEmailList(r.emailListId));
    case "deleteEmailList":
      return previewChange(() => deleteEmailList(r.emailListId));
    case "updateGroup":
      return previewChange(() => updateGroup(r.groupId, r.input));
    case "deleteGroup":
      return previewChange(() => deleteGroup(r.groupId));
    case "provisionPerson":
      return previewChange(() => provisionPerson(r.personId));
    case "deletePerson":
      return previewChange(() => deletePerson(r.personId));
    case "reconcileTarget":
      await getTargetView(r.targetId);
      // As POST /targets/{id}/reconcile?dryRun=true: an explicit run, whatever the mode.
      return previewJobsPlan([{ targetId: r.targetId, subjectType: "target", subjectId: r.targetId, action: "reconcile" }]);
    case "updateTargetPolicy":
      await getTargetView(r.targetId);
      return previewTargetPolicy(r.targetId, r.input);
  }
}

/** What must be typed to delete something that removes Mailman data: its name (or address). */
export async function confirmationText(kind: "emailList" | "group" | "person", objectId: number): Promise<string> {
  if (kind === "emailList") return (await getEmailList(objectId)).name;
  if (kind === "group") return (await getGroup(objectId)).name;
  const p = await getPerson(objectId);
  return p.emails[0]?.address ?? p.displayName ?? String(objectId);
}

export async function checkConfirmation(kind: "emailList" | "group" | "person", objectId: number, typed: string): Promise<void> {
  const expected = await confirmationText(kind, objectId);
  if (typed.trim() !== expected) throw new InvalidInputError(`Type ${expected} to confirm.`, { field: "confirm" });
}
