"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { superuserAction } from "@/lib/actions/safe-action";
import { bodyId } from "@/lib/validation/ids";
import { jobById } from "@/lib/api/v1";
import { noteChange } from "@/lib/audit";
import { InvalidInputError } from "@/lib/errors";
import { parseMassInput } from "@/lib/members/mass-input";
import { queueTargetRun } from "@/lib/provisioning/targets-api";
import { emailListCreateInput, emailListUpdateInput, groupCreateInput, groupUpdateInput, membershipInput, personCreateInput, personUpdateInput } from "@/lib/registry/inputs";
import { checkConfirmation, planFor, planRequest } from "@/lib/registry/plan-request";
import {
  addMembersByEmail,
  createEmailList,
  createGroup,
  createPerson,
  deleteEmailList,
  deleteGroup,
  deleteMembership,
  deletePerson,
  provisionEmailList,
  provisionPerson,
  putMembership,
  updateEmailList,
  updateGroup,
  updatePerson,
} from "@/lib/registry/registry";

/**
 * The registry console's actions: the API's input schemas (lib/registry/inputs.ts), the same
 * lib/registry functions, and their job ids handed back (they are dispatched to the workers by
 * the registry change itself, as for the API routes).
 */

const id = bodyId;
const REGISTRY = "/admin/registry";

/** Describes a registry change made, as the API's routes do (the action's audit scope writes it). */
async function audit(action: "registry.person" | "registry.group" | "registry.email_list" | "provisioning.run", subject: string, detail: Record<string, unknown> = {}) {
  await noteChange({ action, subject, detail });
}

/** The dry-run plan of a change before it is made (lib/registry/preview.ts). */
export const planAction = superuserAction.inputSchema(planRequest).action(async ({ parsedInput }) => planFor(parsedInput));

export const jobStatusAction = superuserAction.inputSchema(z.object({ ids: z.array(id).min(1).max(20) })).action(async ({ parsedInput }) => {
  const jobs = await Promise.all(parsedInput.ids.map((j) => jobById(j)));
  return jobs.map((j) => ({ id: j.id, targetId: j.targetId, status: j.status, attempts: j.attempts, lastError: j.lastError, items: j.items.length, errors: j.items.filter((i) => i.outcome === "error" || i.outcome === "conflict").map((i) => `${i.email ?? ""} ${i.message}`.trim()).slice(0, 5) }));
});

// People -----------------------------------------------------------------------------------------

export const createPersonAction = superuserAction.inputSchema(personCreateInput).action(async ({ parsedInput, ctx }) => {
  const { value, jobIds } = await createPerson(parsedInput, ctx.viewer.id);
  await audit("registry.person", `${REGISTRY}/people/${value.id}`, { op: "create" });
  revalidatePath(`${REGISTRY}/people`);
  return { id: value.id, jobIds };
});

export const updatePersonAction = superuserAction.inputSchema(z.object({ personId: id, input: personUpdateInput })).action(async ({ parsedInput, ctx }) => {
  const { jobIds } = await updatePerson(parsedInput.personId, parsedInput.input, ctx.viewer.id);
  await audit("registry.person", `${REGISTRY}/people/${parsedInput.personId}`, { op: "update" });
  revalidatePath(`${REGISTRY}/people/${parsedInput.personId}`);
  return { jobIds, message: "Saved." };
});

export const provisionPersonAction = superuserAction.inputSchema(z.object({ personId: id })).action(async ({ parsedInput }) => {
  const { jobIds } = await provisionPerson(parsedInput.personId);
  await audit("provisioning.run", `${REGISTRY}/people/${parsedInput.personId}`, { op: "provision" });
  return { jobIds };
});

export const deletePersonAction = superuserAction.inputSchema(z.object({ personId: id, confirm: z.string().max(300) })).action(async ({ parsedInput, ctx }) => {
  await checkConfirmation("person", parsedInput.personId, parsedInput.confirm);
  const { jobIds } = await deletePerson(parsedInput.personId, ctx.viewer.id);
  await audit("registry.person", `${REGISTRY}/people/${parsedInput.personId}`, { op: "delete" });
  // No revalidation: it would re-render the page the delete came from, whose object is gone.
  return { jobIds };
});

// Groups -----------------------------------------------------------------------------------------

export const createGroupAction = superuserAction.inputSchema(groupCreateInput).action(async ({ parsedInput }) => {
  const { value } = await createGroup(parsedInput);
  await audit("registry.group", `${REGISTRY}/groups/${value.id}`, { op: "create" });
  revalidatePath(`${REGISTRY}/groups`);
  return { id: value.id };
});

export const updateGroupAction = superuserAction.inputSchema(z.object({ groupId: id, input: groupUpdateInput })).action(async ({ parsedInput }) => {
  const { jobIds } = await updateGroup(parsedInput.groupId, parsedInput.input);
  await audit("registry.group", `${REGISTRY}/groups/${parsedInput.groupId}`, { op: "update", ...(parsedInput.input.status ? { status: parsedInput.input.status } : {}) });
  revalidatePath(`${REGISTRY}/groups/${parsedInput.groupId}`);
  return { jobIds, message: "Saved." };
});

export const deleteGroupAction = superuserAction.inputSchema(z.object({ groupId: id, confirm: z.string().max(300) })).action(async ({ parsedInput }) => {
  await checkConfirmation("group", parsedInput.groupId, parsedInput.confirm);
  const { jobIds } = await deleteGroup(parsedInput.groupId);
  await audit("registry.group", `${REGISTRY}/groups/${parsedInput.groupId}`, { op: "delete" });
  // No revalidation: it would re-render the page the delete came from, whose object is gone.
  return { jobIds };
});

const bulkMembersInput = z.object({
  groupId: id,
  text: z.string().max(2_000_000),
  format: z.enum(["text", "csv"]).default("text"),
  owner: z.boolean().default(false),
});

/** Pasted addresses or a CSV file's text (`Name <address>` and a name column are understood). */
export const addMembersAction = superuserAction.inputSchema(bulkMembersInput).action(async ({ parsedInput }) => {
  const parsed = parseMassInput(parsedInput.text, parsedInput.format);
  if (parsed.entries.length === 0) throw new InvalidInputError(parsed.invalid[0] ? `Line ${parsed.invalid[0].line}: ${parsed.invalid[0].reason}` : "Paste at least one address.", { field: "text" });
  if (parsed.invalid.length > 0) {
    const first = parsed.invalid.slice(0, 3).map((i) => `line ${i.line} (${i.raw}): ${i.reason}`).join("; ");
    throw new InvalidInputError(`${parsed.invalid.length} line(s) are not addresses: ${first}. Nothing was added.`, { field: "text" });
  }
  const { value, jobIds } = await addMembersByEmail(parsedInput.groupId, parsed.entries.map((e) => ({ email: e.email, displayName: e.displayName })), { owner: parsedInput.owner });
  await audit("registry.group", `${REGISTRY}/groups/${parsedInput.groupId}`, { op: "add_members", ...value });
  revalidatePath(`${REGISTRY}/groups/${parsedInput.groupId}`);
  const parts = [`${value.added} added`, value.created ? `${value.created} new people created` : null, value.already ? `${value.already} already members` : null].filter(Boolean);
  return { jobIds, message: `${parts.join(", ")}.` };
});

export const putMembershipAction = superuserAction.inputSchema(z.object({ groupId: id, personId: id, membership: membershipInput })).action(async ({ parsedInput }) => {
  const { jobIds } = await putMembership(parsedInput.groupId, parsedInput.personId, parsedInput.membership);
  await audit("registry.group", `${REGISTRY}/groups/${parsedInput.groupId}`, { op: "membership", personId: parsedInput.personId });
  revalidatePath(`${REGISTRY}/groups/${parsedInput.groupId}`);
  return { jobIds, message: "Membership saved." };
});

export const removeMembershipAction = superuserAction.inputSchema(z.object({ groupId: id, personId: id })).action(async ({ parsedInput }) => {
  const { jobIds } = await deleteMembership(parsedInput.groupId, parsedInput.personId);
  await audit("registry.group", `${REGISTRY}/groups/${parsedInput.groupId}`, { op: "remove_member", personId: parsedInput.personId });
  revalidatePath(`${REGISTRY}/groups/${parsedInput.groupId}`);
  return { jobIds };
});

// Email lists ------------------------------------------------------------------------------------

export const createEmailListAction = superuserAction.inputSchema(emailListCreateInput).action(async ({ parsedInput }) => {
  const { value, jobIds } = await createEmailList(parsedInput);
  await audit("registry.email_list", `${REGISTRY}/email-lists/${value.id}`, { op: "create" });
  revalidatePath(`${REGISTRY}/email-lists`);
  return { id: value.id, jobIds };
});

export const updateEmailListAction = superuserAction.inputSchema(z.object({ emailListId: id, input: emailListUpdateInput })).action(async ({ parsedInput }) => {
  const { jobIds } = await updateEmailList(parsedInput.emailListId, parsedInput.input);
  await audit("registry.email_list", `${REGISTRY}/email-lists/${parsedInput.emailListId}`, { op: "update" });
  revalidatePath(`${REGISTRY}/email-lists/${parsedInput.emailListId}`);
  return { jobIds, message: "Saved." };
});

export const provisionEmailListAction = superuserAction.inputSchema(z.object({ emailListId: id })).action(async ({ parsedInput }) => {
  const { jobIds } = await provisionEmailList(parsedInput.emailListId);
  await audit("provisioning.run", `${REGISTRY}/email-lists/${parsedInput.emailListId}`, { op: "provision" });
  return { jobIds };
});

export const deleteEmailListAction = superuserAction.inputSchema(z.object({ emailListId: id, confirm: z.string().max(300) })).action(async ({ parsedInput }) => {
  await checkConfirmation("emailList", parsedInput.emailListId, parsedInput.confirm);
  const { jobIds } = await deleteEmailList(parsedInput.emailListId);
  await audit("registry.email_list", `${REGISTRY}/email-lists/${parsedInput.emailListId}`, { op: "delete" });
  // No revalidation: it would re-render the page the delete came from, whose object is gone.
  return { jobIds };
});

export const reconcileTargetAction = superuserAction.inputSchema(z.object({ targetId: id })).action(async ({ parsedInput, ctx }) => {
  const { jobIds } = await queueTargetRun(parsedInput.targetId, "reconcile", ctx.viewer.id);
  await audit("provisioning.run", `${REGISTRY}?target=${parsedInput.targetId}`, { op: "reconcile" });
  return { jobIds };
});
