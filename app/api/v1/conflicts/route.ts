import { z } from "zod";
import { endpoint } from "@/lib/entry/endpoint";
import { listConflicts } from "@/lib/registry/registry";

const query = z.object({ targetId: z.coerce.number().int().positive().optional(), open: z.enum(["true", "false"]).optional().transform((v) => (v === undefined ? undefined : v === "true")) });

export const GET = endpoint({ access: "superuser", query }, async ({ query: q }) => ({ items: await listConflicts(q) }));
