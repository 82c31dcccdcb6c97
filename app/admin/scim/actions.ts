"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { superuserAction } from "@/lib/actions/safe-action";
import { auditStep } from "@/lib/audit";
import { InvalidInputError } from "@/lib/errors";
import { connectorCreateInput, createConnector, emailTypeMapInput, listConnectors, revokeConnector, updateConnectorMapping } from "@/lib/scim/connectors";
import { bodyId } from "@/lib/validation/ids";

export const createConnectorAction = superuserAction.inputSchema(connectorCreateInput).action(async ({ parsedInput, ctx }) => {
  const { id, token } = await auditStep(
    { action: "scim_connector.create", subject: parsedInput.name, detail: { emailTypeMap: parsedInput.emailTypeMap } },
    () => createConnector(parsedInput, ctx.viewer.id),
    (made) => ({ id: made.id }),
  );
  revalidatePath("/admin/scim");
  // Shown once: only its hash is stored.
  return { id, token };
});

export const updateMappingAction = superuserAction
  .inputSchema(z.object({ id: bodyId, emailTypeMap: emailTypeMapInput }))
  .action(async ({ parsedInput }) => {
    await auditStep({ action: "scim_connector.update", subject: String(parsedInput.id), detail: { emailTypeMap: parsedInput.emailTypeMap } }, () =>
      updateConnectorMapping(parsedInput.id, parsedInput.emailTypeMap),
    );
    revalidatePath("/admin/scim");
  });

export const revokeConnectorAction = superuserAction
  .inputSchema(z.object({ id: bodyId, confirm: z.string().max(300) }))
  .action(async ({ parsedInput }) => {
    const connector = (await listConnectors()).find((c) => c.id === parsedInput.id);
    if (connector && parsedInput.confirm.trim().toLowerCase() !== connector.name.toLowerCase()) throw new InvalidInputError("Type the connector's name to revoke it.", { field: "confirm" });
    await auditStep({ action: "scim_connector.revoke", subject: connector?.name ?? String(parsedInput.id), detail: { id: parsedInput.id } }, () => revokeConnector(parsedInput.id));
    revalidatePath("/admin/scim");
  });
