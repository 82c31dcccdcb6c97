import { z } from "zod";
import { idParams } from "@/lib/api/v1";
import { endpoint } from "@/lib/entry/endpoint";
import { resolveConflict } from "@/lib/registry/registry";

export const POST = endpoint({ access: "superuser", params: idParams, body: z.object({ action: z.enum(["adopt", "absorb", "ignore"]) }), audit: "provisioning.run" }, ({ params, body, viewer }) => resolveConflict(params.id, body.action, viewer.id));
