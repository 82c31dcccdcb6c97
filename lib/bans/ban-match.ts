import { compilePatternSet } from "@/lib/validation/safe-regex";

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
