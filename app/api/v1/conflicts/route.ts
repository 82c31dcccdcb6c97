import { z } from "zod";
import { endpoint } from "@/lib/entry/endpoint";
import { listConflicts } from "@/lib/registry/registry";
import { queryId } from "@/lib/validation/ids";

const query = z.object({ targetId: queryId.optional(), open: z.enum(["true", "false"]).optional().transform((v) => (v === undefined ? undefined : v === "true")) });

export const GET = endpoint({ access: "superuser", query }, async ({ query: q }) => ({ items: await listConflicts(q) }));
