/**
 * Checks a list's local part the way the core will (console.md §3.10): lower-cased, every
 * character matched by the core's `listname_chars` class. Also refuses names the core accepts
 * but that break mail flow: a leading dot or hyphen, and names ending in a suffix that
 * collides with another list's `-owner`, `-request` … address.
 */
const RESERVED_SUFFIXES = ["-bounces", "-confirm", "-join", "-leave", "-owner", "-request", "-subscribe", "-unsubscribe"];

export const DEFAULT_LISTNAME_CHARS = "[-_.0-9a-z]";

export function listNameProblem(raw: string, listnameChars: string = DEFAULT_LISTNAME_CHARS): string | null {
  const name = raw.trim().toLowerCase();
  if (name === "") return "Enter a list name.";
  if (name.length > 64) return "A list name has at most 64 characters.";
  let allowed: RegExp;
  try {
    allowed = new RegExp(listnameChars, "gu");
  } catch {
    allowed = new RegExp(DEFAULT_LISTNAME_CHARS, "gu");
  }
  const rest = name.replace(allowed, "");
  if (rest.length > 0) {
    const shown = [...new Set(rest)].map((c) => `"${c}"`).join(", ");
    return `This Mailman server does not allow ${shown} in list names (allowed: ${listnameChars}).`;
  }
  if (/^[-.]/.test(name) || /[-.]$/.test(name)) return "A list name cannot start or end with a hyphen or a dot.";
  if (name.includes("..")) return "A list name cannot contain two dots in a row.";
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `A list name cannot end in "${suffix}": it would collide with another list's ${suffix.slice(1)} address.`;
  return null;
}
