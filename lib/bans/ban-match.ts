import { RE2JS } from "re2js";
import { compilePatternSet, pythonToRe2, re2PatternProblem } from "@/lib/validation/safe-regex";

/**
 * The core's ban check, predicted here (mailman-rest.md Q-16): an exact, lower-cased address, or a
 * `^pattern` that Python's `re.match` finds at the start of the address, ignoring case. Patterns
 * run on RE2 (lib/validation/safe-regex.ts), never on JavaScript's backtracking engine, and the
 * work is bounded: at most MAX_BAN_PATTERNS patterns and `budgetMs` of matching per check.
 * A prediction only: the core applies every ban itself when the address is sent.
 */

export const MAX_BAN_PATTERNS = 1_000;

export interface BanMatcher {
  isBanned(address: string): boolean;
  /** True once some patterns were left out or the time budget ran out: the prediction may miss bans. */
  readonly incomplete: boolean;
}

export function banMatcher(entries: readonly string[], options: { budgetMs?: number; now?: () => number } = {}): BanMatcher {
  const budgetMs = options.budgetMs ?? 2_000;
  const now = options.now ?? (() => performance.now());
  const exact = new Set<string>();
  const patterns: string[] = [];
  for (const entry of entries) {
    if (entry.startsWith("^")) patterns.push(entry);
    else exact.add(entry.toLowerCase());
  }
  const set = compilePatternSet(patterns.slice(0, MAX_BAN_PATTERNS), { anchorStart: true, caseInsensitive: true });
  let incomplete = patterns.length > MAX_BAN_PATTERNS || set.skipped.length > 0;
  let spent = 0;
  return {
    isBanned(address) {
      const key = address.trim().toLowerCase();
      if (exact.has(key)) return true;
      if (patterns.length === 0 || spent > budgetMs) return false;
      const started = now();
      const hit = set.test(key);
      spent += now() - started;
      if (spent > budgetMs) incomplete = true;
      return hit;
    },
    get incomplete() {
      return incomplete;
    },
  };
}

export type BanVerdict = "matches" | "no_match" | "unchecked";

const compiled = new Map<string, RE2JS | null>();

function compileOne(pattern: string): RE2JS | null {
  if (compiled.has(pattern)) return compiled.get(pattern)!;
  let result: RE2JS | null;
  try {
    result = re2PatternProblem(pattern, { anchoredAtStart: true }) ? null : RE2JS.compile(pythonToRe2(pattern), RE2JS.CASE_INSENSITIVE);
  } catch {
    result = null;
  }
  if (compiled.size > 5_000) compiled.clear();
  compiled.set(pattern, result);
  return result;
}

export const isBanPattern = (entry: string) => entry.startsWith("^");

/** One entry against one address, as the core decides it (`re.match`: anchored at the start only). */
export function banVerdict(entry: string, email: string): BanVerdict {
  const address = email.trim().toLowerCase();
  if (!isBanPattern(entry)) return entry.toLowerCase() === address ? "matches" : "no_match";
  const re = compileOne(entry);
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
