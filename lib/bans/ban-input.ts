import { z } from "zod";
import { re2PatternProblem } from "@/lib/validation/safe-regex";
import { queryId } from "@/lib/validation/ids";

/**
 * The ban form's field, shared by the form (in the browser) and the server actions. An entry is
 * an e-mail address or, when it starts with "^", a Python regular expression matched
 * case-insensitively from the start of the address (console.md §3.9). Listkeeper itself matches
 * patterns (the mass-subscribe preflight) with RE2 only, so a pattern RE2 cannot run is refused
 * here, with the same engine in the browser and on the server.
 */

/**
 * What a ban does, as the ban form says it. On 3.3.8 the `banned-address` rule of the default
 * posting chain sends a banned sender's post to the discard chain (the core logs "DISCARD …
 * banned"), members included; it only keeps existing memberships in place.
 */
export function banEffectText(where: "this list" | "every list on this server"): string {
  return `A banned address cannot subscribe to ${where} or be made an owner or moderator, and its posts are discarded without notice to anyone. Existing members stay subscribed, but nothing they post reaches the list.`;
}

const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/;

export function banEntryProblem(value: string): string | null {
  if (value === "") return "Enter an e-mail address, or a pattern starting with ^ (for example ^.*@spam\\.example$).";
  if (value.startsWith("^")) {
    // The core routes a ban by the text in its URL and cannot address one containing "/": such a
    // pattern could be added but never removed again (verified on 3.3.8).
    if (value.includes("/")) return "A pattern cannot contain “/”: Mailman could never remove it again. Write \\x2f instead.";
    return re2PatternProblem(value, { anchoredAtStart: true });
  }
  if (/\s/.test(value)) return "An address has no spaces. For a pattern, start with ^.";
  if (!ADDRESS.test(value)) return "Enter a full e-mail address (name@example.org), or a pattern starting with ^.";
  return null;
}

/**
 * Addresses are lower-cased: the core compares an address ban exactly, against the lower-cased
 * address of whoever subscribes, so a ban on "Spammer@Example.org" would block nobody (verified
 * on 3.3.8). Patterns are kept as typed; the core matches them ignoring case.
 */
export const banEntrySchema = z
  .string()
  .trim()
  .max(320, "At most 320 characters.")
  .transform((value) => (value.startsWith("^") ? value : value.toLowerCase()))
  .superRefine((value, ctx) => {
    const problem = banEntryProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const banFormSchema = z.object({ email: banEntrySchema });

const listRef = { targetId: queryId, listId: z.string().min(1).max(320) };
const targetRef = { targetId: queryId };
/**
 * Why `value` cannot name a stored ban, or null. Removal names the entry exactly as listed (not
 * lower-cased again: entries added by other tools keep their case) and puts it in the core's URL,
 * so it must be an address or a ^pattern: never "..", "." or other text that would address
 * another resource. A stored pattern need not be one RE2 can run, only one the core can route.
 */
export function storedBanProblem(value: string): string | null {
  if (value.startsWith("^")) return value.includes("/") ? "Mailman cannot address a pattern containing “/”." : null;
  return ADDRESS.test(value) ? null : "This is not a banned address or pattern. Reload the page and pick an entry from the list.";
}

const storedEntry = {
  email: z
    .string()
    .min(1)
    .max(320)
    .superRefine((value, ctx) => {
      const problem = storedBanProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
};

export const addListBanSchema = z.object({ ...listRef, email: banEntrySchema });
export const removeListBanSchema = z.object({ ...listRef, ...storedEntry });
export const addGlobalBanSchema = z.object({ ...targetRef, email: banEntrySchema });
export const removeGlobalBanSchema = z.object({ ...targetRef, ...storedEntry });

export const BAN_PAGE_SIZE = 25;

/** Page and search from a bans page's URL (`?page=2&q=spam`). */
export function parseBanQuery(raw: { page?: string | string[]; q?: string | string[] }): { page: number; q: string } {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";
  const page = Number(first(raw.page));
  return { page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1, q: first(raw.q).trim().slice(0, 200) };
}
