import { RE2JS, RE2Set } from "re2js";

/**
 * Regular expressions that people type (ban patterns, console.md §3.9) are never run by
 * JavaScript's backtracking engine here: `^(a+)+$` against one long address would stall the
 * process for everyone. They run on RE2 (re2js), whose time is linear in the length of the text
 * and the size of the pattern. Browser-safe: no server imports, so forms check with the same
 * engine as the server.
 *
 * The Mailman core itself compiles these patterns with Python's `re`. RE2 runs the common subset
 * of both; what it cannot run (backreferences, lookaround) is refused at input, because
 * Listkeeper could not predict what such a pattern matches.
 */

/** One pattern compiles to at most this many RE2 instructions (each is a step per character). */
export const MAX_PATTERN_INSTRUCTIONS = 5_000;
/** Patterns matched together in one RE2 set; bounds one address's worst case (NFA fallback). */
const SET_INSTRUCTIONS = 20_000;

/**
 * Python spellings RE2 does not share: `\Z` (end of text, RE2's `\z`) and `(?#…)` comments.
 * `(?P<name>…)` is common to both. Escaped backslashes are kept as they are.
 */
export function pythonToRe2(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\" && i + 1 < pattern.length) {
      const next = pattern[i + 1]!;
      out += next === "Z" ? "\\z" : ch + next;
      i++;
      continue;
    }
    if (pattern.startsWith("(?#", i)) {
      const close = pattern.indexOf(")", i);
      if (close < 0) return out + pattern.slice(i);
      i = close;
      continue;
    }
    out += ch;
  }
  return out;
}

// A global inline flag group such as (?i) or (?ms), not a scoped one such as (?i:…).
const GLOBAL_FLAGS = /\(\?[aiLmsux]+\)/;

function explain(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^error parsing regexp: /, "");
}

/**
 * Why RE2 cannot run `pattern` (written for Python's `re`), in words for the person who typed it,
 * or null. `anchoredAtStart` patterns (ban patterns begin with "^") cannot carry global inline
 * flags, which Python 3.11 and later refuse anywhere but at the very start.
 */
export function re2PatternProblem(pattern: string, options: { anchoredAtStart?: boolean } = {}): string | null {
  return compileChecked(pattern, 0, options).problem;
}

function compileChecked(pattern: string, flags: number, options: { anchoredAtStart?: boolean } = {}): { compiled: RE2JS; problem: null } | { compiled: null; problem: string } {
  if (options.anchoredAtStart && GLOBAL_FLAGS.test(pattern)) {
    return {
      compiled: null,
      problem: "Inline flags such as (?i) are only allowed at the very start of a pattern, and a ban pattern starts with ^ (Mailman ignores case in bans anyway).",
    };
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pythonToRe2(pattern), flags);
  } catch (error) {
    return {
      compiled: null,
      problem:
        `This is not a valid regular expression for Listkeeper (${explain(error)}). It checks patterns with RE2, a linear-time engine, so ` +
        "backreferences such as \\1 and lookaround such as (?=…) are not available, even though the Mailman core (Python's re) may accept them.",
    };
  }
  if (compiled.re2Input.prog.numInst() > MAX_PATTERN_INSTRUCTIONS) {
    return { compiled: null, problem: "This pattern is too complex (its repetitions expand to too many steps). Write it more simply, for example with + or * instead of large {n,m} counts." };
  }
  return { compiled, problem: null };
}

export interface PatternSetOptions {
  /** Python's re.match: the pattern must match at the start of the text. */
  anchorStart: boolean;
  caseInsensitive: boolean;
}

export interface CompiledPatternSet {
  /** Whether any pattern matches `text`. */
  test(text: string): boolean;
  /** Patterns left out because RE2 cannot run them or they are too large, with the reason. */
  skipped: { pattern: string; reason: string }[];
}

/**
 * Compiles many patterns into a few RE2 sets, so that one text is matched against all of them in
 * one linear pass per set instead of one pass per pattern.
 */
export function compilePatternSet(patterns: readonly string[], options: PatternSetOptions): CompiledPatternSet {
  const flags = options.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0;
  const anchor = options.anchorStart ? RE2Set.ANCHOR_START : RE2Set.UNANCHORED;
  const skipped: CompiledPatternSet["skipped"] = [];
  const groups: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const pattern of patterns) {
    const { compiled, problem } = compileChecked(pattern, flags);
    if (!compiled) {
      skipped.push({ pattern, reason: problem });
      continue;
    }
    const instructions = compiled.re2Input.prog.numInst();
    if (size + instructions > SET_INSTRUCTIONS && current.length > 0) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(compiled.pattern());
    size += instructions;
  }
  if (current.length > 0) groups.push(current);
  const sets = groups.map((group) => {
    const set = new RE2Set(anchor, flags);
    for (const pattern of group) set.add(pattern);
    set.compile();
    return set;
  });
  return { test: (text) => sets.some((set) => set.match(text).length > 0), skipped };
}
