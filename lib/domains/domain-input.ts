import { z } from "zod";
import { hostnameProblem, normaliseHostname } from "@/lib/validation/hostname";
import { queryId } from "@/lib/validation/ids";

/**
 * The domain forms' fields, shared by the forms (react-hook-form, in the browser) and the server
 * actions. Kept apart from domains.ts, which reaches the database and the core and must not end
 * up in a client bundle.
 */
export const mailHostSchema = z
  .string()
  .transform(normaliseHostname)
  .superRefine((value, ctx) => {
    const problem = hostnameProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const domainFieldsSchema = z.object({
  description: z.string().trim().max(500).default(""),
  aliasDomain: z
    .string()
    .trim()
    .toLowerCase()
    .default("")
    .superRefine((value, ctx) => {
      if (value === "") return;
      const problem = hostnameProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
});

export const createDomainSchema = domainFieldsSchema.extend({
  targetId: queryId,
  mailHost: mailHostSchema,
});

// The domain named by an existing row: a host name, at most 253 characters.
export const updateDomainSchema = domainFieldsSchema.extend({
  targetId: queryId,
  mailHost: z.string().min(1).max(253),
});

export const deleteDomainSchema = z.object({
  targetId: queryId,
  mailHost: z.string().min(1).max(253),
  confirm: z.string().max(300),
});
