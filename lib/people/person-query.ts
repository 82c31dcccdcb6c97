import { z } from "zod";
import { queryId } from "@/lib/validation/ids";

/**
 * What a superuser typed into "find a person everywhere": an address (exact), an address pattern
 * with `*`, or part of a name. Patterns and names are sent to the core's `members/find` as a
 * `*wildcard*`, which it matches against addresses and display names in one query (SQL LIKE,
 * mailman/model/subscriptions.py). Browser-safe: the search form imports it.
 */

export type PersonQuery =
  | { kind: "address"; text: string; address: string }
  | { kind: "pattern"; text: string; wildcard: string }
  | { kind: "name"; text: string; wildcard: string };

const MIN_LITERAL = 3;

export function parsePersonQuery(raw: string): { query: PersonQuery } | { problem: string } {
  const text = raw.trim().replace(/\s+/g, " ");
  if (text === "") return { problem: "Enter an address, an address pattern such as *@example.org, or part of a name." };
  if (text.length > 254) return { problem: "At most 254 characters." };
  if (/[%]/.test(text)) return { problem: "Use * as the wildcard (not %)." };
  const literal = text.replace(/\*/g, "");
  if (text.includes("*")) {
    if (literal.length < MIN_LITERAL) return { problem: `A pattern needs at least ${MIN_LITERAL} characters besides *: it would match almost everyone.` };
    return { query: { kind: "pattern", text, wildcard: text.toLowerCase().replace(/\*+/g, "*") } };
  }
  if (text.includes("@")) {
    if (/\s/.test(text) || !z.email().safeParse(text).success) return { problem: `"${text}" is not an e-mail address. For a pattern, use * (e.g. *@example.org).` };
    return { query: { kind: "address", text, address: text.toLowerCase() } };
  }
  if (literal.length < 2) return { problem: "Enter at least two characters of the name." };
  return { query: { kind: "name", text, wildcard: `*${text.toLowerCase()}*` } };
}

export const personSearchSchema = z.object({
  q: z.string().max(300).default(""),
  /** "all": also every list's pending requests and bans, not only the lists the person is on. */
  scan: z.enum(["lists", "all"]).default("lists"),
  target: queryId.optional(),
});
