import { z } from "zod";
import { endpoint, idParam } from "@/lib/entry/endpoint";
import { ForbiddenError } from "@/lib/errors";
import { preferenceInput } from "@/lib/registry/inputs";
import { peopleOfViewer, setPreference } from "@/lib/registry/registry";

const params = z.object({ id: idParam, personId: idParam });

/** Superusers, or the signed-in person for their own record. */
export const PUT = endpoint({ access: "signed_in", params, body: preferenceInput, audit: "registry.preference" }, async ({ params: p, body, viewer }) => {
  const own = (await peopleOfViewer(viewer.verifiedEmails)).includes(p.personId);
  if (!viewer.isSuperuser && !own) throw new ForbiddenError("You may only change your own preferences.");
  const { value, jobIds } = await setPreference(p.id, p.personId, body.subscribed, viewer.isSuperuser && !own ? "admin" : "user");
  return { ...value, jobIds };
});
