import { z } from "zod";
import { TARGET_MODES } from "@/lib/provisioning/modes";
import { hostnameProblem, normaliseHostname } from "@/lib/validation/hostname";
import { bodyId } from "@/lib/validation/ids";

/** The target form's fields, shared by the form (react-hook-form) and the server action. */
export const welcomeMessageChoices = ["list_default", "send", "suppress"] as const;

const hostname = z
  .string()
  .transform(normaliseHostname)
  .superRefine((value, ctx) => {
    const problem = hostnameProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const restUrlSchema = z
  .string()
  .trim()
  .min(1, "Enter the REST URL of the Mailman core.")
  .refine((v) => {
    try {
      const url = new URL(v);
      return url.protocol === "http:" || url.protocol === "https:";
    } catch {
      return false;
    }
  }, "Enter an http:// or https:// URL, such as http://127.0.0.1:8001.")
  .refine((v) => {
    try {
      const url = new URL(v);
      return !url.username && !url.password && !url.search && !url.hash;
    } catch {
      return true;
    }
  }, "Leave credentials, query and fragment out of the URL; enter the admin user and password below.");

export const targetFieldsSchema = z.object({
  name: z.string().trim().min(1, "Give the server a name.").max(100),
  description: z.string().trim().max(500).default(""),
  serverUrl: restUrlSchema,
  adminUser: z.string().trim().min(1, "Enter the REST admin user ([webservice] admin_user).").max(200),
  domain: hostname,
  prefEmailType: z
    .string()
    .trim()
    .max(50)
    .transform((v) => (v === "" ? null : v))
    .nullable()
    .default(null),
  unmanagedEmailMode: z.enum(["remove", "ignore"]).default("remove"),
  addressConflictMode: z.enum(["fail", "adopt", "absorb"]).default("fail"),
  userCreation: z.enum(["lazy", "all_active"]).default("lazy"),
  welcomeMessage: z.enum(welcomeMessageChoices).default("suppress"),
  quietUnsubscribe: z.boolean().default(true),
  syncDisplayName: z.boolean().default(true),
  deleteStaleAddresses: z.boolean().default(true),
  mode: z.enum(TARGET_MODES).default("automatic"),
  retryIntervalS: z
    .number({ error: "Enter the wait in seconds." })
    .int("Enter whole seconds.")
    .min(1, "Wait at least 1 second.")
    .max(86_400, "Wait at most 86,400 seconds (a day).")
    .default(900),
  maxRetry: z.number({ error: "Enter a number of attempts." }).int("Enter a whole number.").min(0, "Enter 0 or more.").max(100, "At most 100 attempts.").default(5),
});

export const createTargetSchema = targetFieldsSchema.extend({
  adminPassword: z.string().min(1, "Enter the REST admin password ([webservice] admin_pass).").max(500),
});

export const updateTargetSchema = targetFieldsSchema.extend({
  id: bodyId,
  // Empty means "keep the stored password": the form never receives it.
  adminPassword: z.string().max(500).default(""),
});

export const connectionTestSchema = z.object({
  id: bodyId.optional(),
  serverUrl: restUrlSchema,
  adminUser: z.string().trim().min(1, "Enter the REST admin user.").max(200),
  adminPassword: z.string().max(500).default(""),
});

export type CreateTargetInput = z.input<typeof createTargetSchema>;
export type UpdateTargetInput = z.input<typeof updateTargetSchema>;

export function welcomeChoiceToColumn(choice: (typeof welcomeMessageChoices)[number]): boolean | null {
  return choice === "list_default" ? null : choice === "send";
}

export function columnToWelcomeChoice(value: boolean | null): (typeof welcomeMessageChoices)[number] {
  return value === null ? "list_default" : value ? "send" : "suppress";
}
