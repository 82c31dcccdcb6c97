import { z } from "zod";
import { queryId } from "@/lib/validation/ids";

/**
 * Header-filter fields, shared by the editor (react-hook-form, in the browser) and the server
 * actions. Browser-safe: no server imports.
 */

export const FILTER_ACTIONS = ["default", "hold", "reject", "discard", "accept"] as const;
export type FilterAction = (typeof FILTER_ACTIONS)[number];

export const FILTER_ACTION_LABELS: Record<FilterAction, string> = {
  default: "Use the site default",
  hold: "Hold for moderation",
  reject: "Reject",
  discard: "Discard",
  accept: "Accept",
};

export const DEFER_REFUSED =
  "“Defer” cannot be used: the Mailman core has no defer chain, so every post to the list would crash and be shunted.";

/**
 * Checks a pattern the core will compile with Python's `re`. JavaScript cannot judge every
 * Python regex, so the common Python-only spellings are translated first (`(?P<n>…)`,
 * `(?P=n)`, leading inline flags such as `(?i)`, `(?#…)`, `\A`, `\Z`); whatever still fails in
 * JavaScript is refused with its error, and what passes here may still be refused by the core,
 * whose message is then shown. The aim is to catch typos before sending, never to refuse a
 * pattern Python accepts in its common forms.
 */
export function toJavaScriptRegex(pattern: string): string {
  let out = pattern.replace(/\(\?#[^)]*\)/g, "").replace(/\(\?P<([A-Za-z_]\w*)>/g, "(?<$1>").replace(/\(\?P=([A-Za-z_]\w*)\)/g, "\\k<$1>");
  // Global inline flags: Python wants them first; JavaScript has no such syntax.
  out = out.replace(/^\(\?[aiLmsux]+\)/, "");
  // \A and \Z, but not an escaped backslash followed by A or Z.
  out = out.replace(/(^|[^\\])((?:\\\\)*)\\A/g, "$1$2^").replace(/(^|[^\\])((?:\\\\)*)\\Z/g, "$1$2$");
  return out;
}

export function regexProblem(pattern: string): string | null {
  try {
    new RegExp(toJavaScriptRegex(pattern));
    return null;
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "") : "";
    return `This is not a valid regular expression${detail ? ` (${detail})` : ""}.`;
  }
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/** RFC 5322 field-name: printable US-ASCII except ":" (33–57, 59–126). Stored lower-cased (Q-13). */
export const headerNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a header name, such as X-Spam-Flag.")
  .max(100, "A header name has at most 100 characters.")
  .regex(/^[\x21-\x39\x3b-\x7e]+$/, "A header name has no spaces and no colon, only printable ASCII characters (for example X-Spam-Flag).")
  .transform((value) => value.toLowerCase());

export const patternSchema = z
  .string()
  .min(1, "Enter a pattern (a regular expression matched against the header's value).")
  .max(1000, "A pattern has at most 1000 characters.")
  .refine((value) => !CONTROL.test(value), "A pattern cannot contain line breaks or control characters; write \\n or \\t instead.")
  .superRefine((value, ctx) => {
    const problem = regexProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const filterActionSchema = z
  .string()
  .refine((value) => value !== "defer", DEFER_REFUSED)
  .pipe(z.enum(FILTER_ACTIONS, { message: "Choose one of the actions offered." }));

/** Optional; tools use it to recognise their own rules, so Listkeeper keeps it as written. */
export const tagSchema = z
  .string()
  .trim()
  .max(100, "A tag has at most 100 characters.")
  .refine((value) => !CONTROL.test(value), "A tag cannot contain control characters.")
  .default("");

export const ruleFieldsSchema = z.object({
  header: headerNameSchema,
  pattern: patternSchema,
  action: filterActionSchema,
  tag: tagSchema,
});
export type RuleFieldsInput = z.input<typeof ruleFieldsSchema>;
export type RuleFields = z.output<typeof ruleFieldsSchema>;

const listRef = { targetId: queryId, listId: z.string().min(1).max(320) };

/**
 * A rule the user saw: its position then, and its header and pattern, which identify it (the
 * core refuses two rules with the same pair). Positions shift when someone else edits the rules.
 */
const seenRule = {
  position: z.coerce.number().int().min(0).max(100_000),
  expectedHeader: z.string().min(1).max(100),
  expectedPattern: z.string().min(1).max(1000),
};

export const addRuleSchema = ruleFieldsSchema.extend(listRef);
export const updateRuleSchema = ruleFieldsSchema.extend({ ...listRef, ...seenRule });
export const moveRuleSchema = z.object({ ...listRef, ...seenRule, to: z.coerce.number().int().min(0).max(100_000) });
export const deleteRuleSchema = z.object({ ...listRef, ...seenRule });
