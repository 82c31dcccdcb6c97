import { z } from "zod";
import { endpoint, idParam } from "@/lib/entry/endpoint";
import { ForbiddenError } from "@/lib/errors";
import { preferenceInput } from "@/lib/registry/inputs";
import { peopleOfViewer, setPreference } from "@/lib/registry/registry";

const params = z.object({ emailListId: idParam });

/** For the people linked to the caller's account (a verified address in common). */
export const PUT = endpoint({ access: "signed_in", params, body: preferenceInput, audit: "registry.preference" }, async ({ params: p, body, viewer }) => {
  const people = await peopleOfViewer(viewer.verifiedEmails);
  if (people.length === 0) throw new ForbiddenError("Your account is not linked to a person of the registry.");
  const jobIds: number[] = [];
  for (const personId of people) jobIds.push(...(await setPreference(p.emailListId, personId, body.subscribed, "user")).jobIds);
  return { subscribed: body.subscribed, jobIds };
});
