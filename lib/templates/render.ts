/**
 * Preview of a template as the core will expand it: Python's `string.Template.safe_substitute`
 * (mailman/utilities/string.py `expand`). `$$` becomes `$`; `$name` and `${name}` are replaced when
 * known and left exactly as written when not (message-specific variables such as `$member` are
 * only known when the core sends the mail). Identifiers are ASCII `[_a-zA-Z][_a-zA-Z0-9]*`.
 */
const PATTERN = /\$(?:(\$)|([_a-zA-Z][_a-zA-Z0-9]*)|\{([_a-zA-Z][_a-zA-Z0-9]*)\})/g;

export function renderTemplate(text: string, variables: Readonly<Record<string, string | null | undefined>>): string {
  return text.replace(PATTERN, (match, escaped: string | undefined, named: string | undefined, braced: string | undefined) => {
    if (escaped) return "$";
    const key = (named ?? braced)!;
    const value = Object.hasOwn(variables, key) ? variables[key] : undefined;
    // The core passes None through str(): a missing value prints as "None" there; we show "".
    return value === undefined ? match : (value ?? "");
  });
}

/** The variable names a template uses, in order of first appearance (for "unknown variable" hints). */
export function templateVariables(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(PATTERN)) {
    const key = m[2] ?? m[3];
    if (key) seen.add(key);
  }
  return [...seen];
}
