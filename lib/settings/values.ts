/**
 * Pure conversions between the core's config values and the settings form, shared by the form
 * (browser) and the save path (server): parse and check what an owner typed, work out which keys
 * changed and describe them in words, and compare two snapshots of the config.
 */
import { z } from "zod";
import { labelOf, offeredOptions, type LinesRule, type SettingField } from "./catalogue";

/** What a form control holds: switches are booleans, everything else is text. */
export type FormValue = string | boolean;
export type FormValues = Record<string, FormValue>;
/** Config values as the core sends them (JSON), for the keys of one section. */
export type CoreValues = Record<string, unknown>;

export const UNSET_LABEL = "unset (style default)";

export type ParseResult = { ok: true; value: unknown } | { ok: false; message: string };

// Durations -----------------------------------------------------------------------------------

const UNIT_SECONDS: Record<string, number> = { w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1 };

/**
 * Seconds in a duration such as `90d`, `2w`, `1d12h` or the core's own `0d3600.0s`; null when it
 * is not one. Units may come in any order here; `formatDuration` writes the order the core's
 * parser (lazr.config `as_timedelta`) insists on.
 */
export function parseDuration(text: string): number | null {
  const value = text.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?[wdhms])+$/.test(value)) return null;
  const seen = new Set<string>();
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)([wdhms])/g)) {
    if (seen.has(unit!)) return null;
    seen.add(unit!);
    total += Number(amount) * UNIT_SECONDS[unit!]!;
  }
  return Number.isFinite(total) ? total : null;
}

/** A duration in the form the core accepts: units in alphabetical order (d, h, m, s), no weeks. */
export function formatDuration(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  let rest = seconds - days * 86_400;
  const hours = Math.floor(rest / 3_600);
  rest -= hours * 3_600;
  const minutes = Math.floor(rest / 60);
  rest -= minutes * 60;
  let out = days > 0 ? `${days}d` : "";
  if (hours) out += `${hours}h`;
  if (minutes) out += `${minutes}m`;
  if (rest) out += `${Number(rest.toFixed(6))}s`;
  return out || "0d";
}

// Lines ---------------------------------------------------------------------------------------

const emailSchema = z.email();

export function isEmail(value: string): boolean {
  return emailSchema.safeParse(value).success;
}

/** Whether a Python regular expression (as the core compiles it) also compiles here. */
function regexProblem(pattern: string): string | null {
  // Python's named groups are the only common syntax JavaScript spells differently.
  const js = pattern.replace(/\(\?P</g, "(?<").replace(/\(\?P=(\w+)\)/g, "\\k<$1>");
  try {
    new RegExp(js);
    return null;
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: /, "");
  }
}

function lineProblem(rule: LinesRule, line: string): string | null {
  switch (rule) {
    case "address-or-regex":
      if (line.startsWith("^")) {
        const problem = regexProblem(line);
        return problem ? `is not a valid regular expression (${problem})` : null;
      }
      return isEmail(line) ? null : "is neither an e-mail address nor a regular expression starting with ^";
    case "mime-type":
      return /^[a-z0-9!#$&^_.+-]+(\/[a-z0-9!#$&^_.+*-]+)?$/i.test(line) ? null : "is not a MIME type such as image/jpeg or image";
    case "extension":
      return /^[a-z0-9_+-]+$/i.test(line) ? null : "is not a file extension (write it without the dot, e.g. exe)";
  }
}

export function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

// Form <-> core -------------------------------------------------------------------------------

export function toFormValue(field: SettingField, value: unknown): FormValue {
  switch (field.kind) {
    case "bool":
      return value === null || value === undefined ? "" : Boolean(value);
    case "lines":
      return Array.isArray(value) ? value.map(String).join("\n") : "";
    default:
      return value === null || value === undefined ? "" : String(value);
  }
}

export function toFormValues(fields: readonly SettingField[], values: CoreValues): FormValues {
  return Object.fromEntries(fields.map((f) => [f.key, toFormValue(f, values[f.key])]));
}

/**
 * Checks one form value and converts it to what the core expects. `original` is the value the
 * form was loaded with: an empty control over a `null` stays `null` (unset), and a current value
 * the UI does not offer may be kept but not chosen.
 */
export function parseField(field: SettingField, raw: FormValue | undefined, original: unknown): ParseResult {
  const name = `"${field.label}"`;
  const text = typeof raw === "string" ? raw : raw === undefined ? "" : String(raw);
  switch (field.kind) {
    case "bool": {
      if (typeof raw === "boolean") return { ok: true, value: raw };
      if (text === "true" || text === "false") return { ok: true, value: text === "true" };
      if (text === "" && original === null) return { ok: true, value: null };
      return { ok: false, message: `${name}: choose yes or no.` };
    }
    case "enum": {
      if (text === "" && original === null) return { ok: true, value: null };
      const allowed = field.options ?? [];
      if (!allowed.some((o) => o.value === text)) return { ok: false, message: `${name}: choose one of the offered values${text ? ` ("${text}" is not one)` : ""}.` };
      if (text !== original && !offeredOptions(field).some((o) => o.value === text)) {
        return { ok: false, message: `${name}: "${labelOf(allowed, text)}" cannot be chosen here.` };
      }
      return { ok: true, value: text };
    }
    case "int": {
      const value = text.trim();
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) return { ok: false, message: `${name} must be a whole number of 0 or more.` };
      return { ok: true, value: Number(value) };
    }
    case "decimal": {
      const value = text.trim();
      if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(Number(value))) return { ok: false, message: `${name} must be a number of 0 or more.` };
      return { ok: true, value: Number(value) };
    }
    case "duration": {
      const seconds = parseDuration(text);
      if (seconds === null) return { ok: false, message: `${name} must be a duration such as 90d, 2w or 1d12h${text.trim() ? ` ("${text.trim()}" is not)` : ""}.` };
      return { ok: true, value: formatDuration(seconds) };
    }
    case "line":
      if (/[\r\n]/.test(text)) return { ok: false, message: `${name} must be a single line.` };
      return { ok: true, value: text };
    case "text":
    case "textarea":
      return { ok: true, value: text.replace(/\r\n/g, "\n") };
    case "email": {
      const value = text.trim();
      if (value === "") return { ok: true, value: original === null ? null : "" };
      if (!isEmail(value)) return { ok: false, message: `${name} must be an e-mail address ("${value}" is not).` };
      return { ok: true, value };
    }
    case "lines": {
      const lines = field.lowercase ? splitLines(text).map((l) => l.toLowerCase()) : splitLines(text);
      for (const [index, line] of lines.entries()) {
        const problem = lineProblem(field.lines ?? "address-or-regex", line);
        if (problem) return { ok: false, message: `${name}, line ${index + 1}: "${line}" ${problem}.` };
      }
      return { ok: true, value: lines };
    }
  }
}

/** Whether two core values of a field mean the same (`90d` and `0d7776000s` do). */
export function sameValue(field: SettingField, a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (field.kind === "duration") return parseDuration(String(a)) === parseDuration(String(b));
  if (field.kind === "lines") {
    // Order carries no meaning in any of these lists, and the core returns acceptable_aliases sorted.
    const x = (Array.isArray(a) ? a.map(String) : []).sort();
    const y = (Array.isArray(b) ? b.map(String) : []).sort();
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  if (field.kind === "int" || field.kind === "decimal") return Number(a) === Number(b);
  return a === b;
}

/** A value in words, for the change summary and the conflict report. */
export function describeValue(field: SettingField, value: unknown): string {
  if (value === null || value === undefined) return UNSET_LABEL;
  switch (field.kind) {
    case "bool":
      return value ? "Yes" : "No";
    case "enum":
      return labelOf(field.options ?? [], value);
    case "lines": {
      const lines = Array.isArray(value) ? value.map(String) : [];
      return lines.length ? lines.join(", ") : "(none)";
    }
    default: {
      const text = String(value);
      if (text === "") return "(empty)";
      const oneLine = text.replace(/\s*\n\s*/g, " ⏎ ");
      return oneLine.length > 120 ? `${oneLine.slice(0, 117)}…` : oneLine;
    }
  }
}

export interface Change {
  key: string;
  label: string;
  from: string;
  to: string;
  /** Set for risky keys (emergency moderation, default actions, archive policy, DMARC, joining). */
  warning?: string;
}

export interface SectionDiff {
  /** Field key → message naming the field; empty when every value is valid. */
  errors: Record<string, string>;
  /** Only the changed keys, in the core's types. */
  patch: Record<string, unknown>;
  changes: Change[];
}

/** Checks every field of a section and lists what differs from the values it was loaded with. */
export function diffSection(fields: readonly SettingField[], original: CoreValues, values: FormValues): SectionDiff {
  const errors: Record<string, string> = {};
  const patch: Record<string, unknown> = {};
  const changes: Change[] = [];
  for (const field of fields) {
    const before = original[field.key] ?? null;
    const parsed = parseField(field, values[field.key], before);
    if (!parsed.ok) {
      errors[field.key] = parsed.message;
      continue;
    }
    if (sameValue(field, before, parsed.value)) continue;
    patch[field.key] = parsed.value;
    changes.push({
      key: field.key,
      label: field.label,
      from: describeValue(field, before),
      to: describeValue(field, parsed.value),
      warning: field.risk?.(parsed.value),
    });
  }
  return { errors, patch, changes };
}

export interface ConfigDrift {
  key: string;
  label: string;
  loaded: string;
  current: string;
}

/** The section's keys whose value differs between the config the form loaded and the current one. */
export function configDrift(fields: readonly SettingField[], loaded: CoreValues, current: CoreValues): ConfigDrift[] {
  return fields
    .filter((f) => !sameValue(f, loaded[f.key] ?? null, current[f.key] ?? null))
    .map((f) => ({ key: f.key, label: f.label, loaded: describeValue(f, loaded[f.key] ?? null), current: describeValue(f, current[f.key] ?? null) }));
}

/** The values of a section's keys out of a whole config (nothing else goes to the browser). */
export function pickSection(fields: readonly SettingField[], config: CoreValues): CoreValues {
  return Object.fromEntries(fields.map((f) => [f.key, config[f.key] ?? null]));
}
