import { RE2JS } from "re2js";

/**
 * Which ban entries refuse an address, the way the core decides it (mailman/model/bans.py): an
 * entry starting with "^" is a Python regular expression applied with `re.match` (anchored at the
 * start only) ignoring case; any other entry is an address compared exactly, and Listkeeper stores
 * address bans lower-cased. Patterns are typed by people, so they run on RE2 (linear time), never
 * on JavaScript's backtracking RegExp. RE2 reads Python's common syntax, `(?P<name>…)` included;
 * what it cannot read (look-around, back-references) is reported as unchecked, not guessed.
 */

export type BanVerdict = "matches" | "no_match" | "unchecked";

const compiled = new Map<string, RE2JS | null>();

/** Python spellings RE2 does not share: `\Z` (end of text) is RE2's `\z`. */
function toRe2(pattern: string): string {
  return pattern.replace(/(^|[^\\])((?:\\\\)*)\\Z/g, "$1$2\\z");
}

function compile(pattern: string): RE2JS | null {
  if (compiled.has(pattern)) return compiled.get(pattern)!;
  let result: RE2JS | null;
  try {
    result = RE2JS.compile(toRe2(pattern), RE2JS.CASE_INSENSITIVE);
  } catch {
    result = null;
  }
  if (compiled.size > 5_000) compiled.clear();
  compiled.set(pattern, result);
  return result;
}

export const isBanPattern = (entry: string) => entry.startsWith("^");

export function banVerdict(entry: string, email: string): BanVerdict {
  const address = email.trim().toLowerCase();
  if (!isBanPattern(entry)) return entry.toLowerCase() === address ? "matches" : "no_match";
  const re = compile(entry);
  if (!re) return "unchecked";
  return re.matcher(address).lookingAt() ? "matches" : "no_match";
}

export interface BanHit {
  entry: string;
  isPattern: boolean;
  /** The pattern uses syntax RE2 cannot run: whether it matches is unknown. */
  unchecked: boolean;
}

/** The entries among `entries` that refuse `email`, plus the patterns that could not be checked. */
export function banHits(entries: readonly string[], email: string): BanHit[] {
  const hits: BanHit[] = [];
  for (const entry of entries) {
    const verdict = banVerdict(entry, email);
    if (verdict !== "no_match") hits.push({ entry, isPattern: isBanPattern(entry), unchecked: verdict === "unchecked" });
  }
  return hits;
}

/**
 * A `*` wildcard (as the core's `members/find` takes it) as an RE2 matcher over the whole text,
 * ignoring case: every other character is literal.
 */
export function wildcardMatcher(glob: string): (text: string) => boolean {
  const re = RE2JS.compile(glob.split("*").map((part) => RE2JS.quote(part)).join(".*"), RE2JS.CASE_INSENSITIVE | RE2JS.DOTALL);
  return (text) => re.matches(text);
}
