import Papa from "papaparse";
import { z } from "zod";
import { deliveryModes } from "@/lib/mailman/schemas";
import { restoreNeutralised } from "./csv-formula";

/**
 * Input of mass subscribe and mass removal (console.md §3.4–3.5): pasted text, one entry per
 * line in the forms Postorius accepts, or a CSV file with or without a header. Parsing is pure so
 * that the preflight and the job see exactly the same entries.
 */

export const MAX_MASS_ENTRIES = 20_000;
/** Characters, not bytes; 20,000 lines of "Long Display Name <address>" fit. */
export const MAX_MASS_INPUT = 2_000_000;

export interface MassEntry {
  /** 1-based line (text) or row (CSV, header included) the entry came from. */
  line: number;
  raw: string;
  /** As written (the core keeps the case of the local part); compare with `key`. */
  email: string;
  displayName: string | null;
}

export interface InvalidEntry {
  line: number;
  raw: string;
  reason: string;
}

export interface DuplicateEntry {
  line: number;
  raw: string;
  email: string;
  firstLine: number;
}

export interface ParsedMassInput {
  entries: MassEntry[];
  invalid: InvalidEntry[];
  duplicates: DuplicateEntry[];
}

/** Addresses are compared case-insensitively (the core stores and matches them lower-cased). */
export const addressKey = (email: string) => email.trim().toLowerCase();

const LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Why `email` is not an address the core would accept, or null. Mirrors Django's validator. */
export function addressProblem(email: string): string | null {
  if (email === "") return "no address";
  if (/\s/.test(email)) return "an address cannot contain spaces";
  if (email.length > 254) return "longer than 254 characters";
  const at = email.lastIndexOf("@");
  if (at < 0) return "no @ in the address";
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local === "") return "nothing before the @";
  if (local.length > 64) return "the part before the @ is longer than 64 characters";
  if (!LOCAL_ATOM.test(local)) return `"${local}" is not a valid part before the @`;
  if (domain === "") return "nothing after the @";
  const labels = domain.split(".");
  if (labels.length < 2) return `"${domain}" has no dot: use a full domain name`;
  if (!labels.every((l) => DOMAIN_LABEL.test(l))) return `"${domain}" is not a valid domain name`;
  if (!/^[A-Za-z]{2,63}$/.test(labels[labels.length - 1]!) && !/^xn--[A-Za-z0-9-]+$/.test(labels[labels.length - 1]!)) {
    return `"${domain}" does not end in a top-level domain`;
  }
  return null;
}

/**
 * One line in one of the forms of §3.4: `a@x`, `<a@x>`, `Name <a@x>`, `"Name" <a@x>`,
 * `a@x (Name)`. Returns the address and display name, or why the line is not one of them.
 */
export function parseAddressLine(line: string): { email: string; displayName: string | null } | { problem: string } {
  const text = line.trim();
  let email: string;
  let name: string | null = null;
  const angle = /^(.*?)<([^<>]*)>\s*$/.exec(text);
  const comment = /^([^\s()<>]+)\s*\((.*)\)\s*$/.exec(text);
  if (angle) {
    email = angle[2]!.trim();
    name = angle[1]!.trim();
    if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replace(/\\(.)/g, "$1").trim();
  } else if (comment) {
    email = comment[1]!;
    name = comment[2]!.trim();
  } else {
    email = text;
  }
  if (/[<>]/.test(email) || /[<>]/.test(name ?? "")) return { problem: "unbalanced < >" };
  const problem = addressProblem(email);
  if (problem) return { problem };
  return { email, displayName: name ? name : null };
}

const EMAIL_HEADERS = new Set(["email", "e-mail", "mail", "address", "email address", "e-mail address", "subscriber"]);
const NAME_HEADERS = new Set(["name", "display name", "display_name", "displayname", "full name", "real name"]);

function normaliseHeader(cell: string): string {
  return cell.trim().toLowerCase().replace(/\s+/g, " ");
}

interface Row {
  line: number;
  raw: string;
  email: string | null;
  name: string | null;
}

function csvRows(text: string): { rows: Row[]; problems: InvalidEntry[] } {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: "greedy" });
  const data = parsed.data.filter((row) => row.some((cell) => cell.trim() !== ""));
  const problems: InvalidEntry[] = [];
  if (data.length === 0) return { rows: [], problems };
  const header = data[0]!.map(normaliseHeader);
  const emailColumn = header.findIndex((h) => EMAIL_HEADERS.has(h));
  const nameColumn = header.findIndex((h) => NAME_HEADERS.has(h));
  const hasHeader = emailColumn >= 0;
  const rows: Row[] = [];
  data.forEach((row, index) => {
    if (hasHeader && index === 0) return;
    const line = index + 1;
    // An exported roster's cells may carry the apostrophe that keeps spreadsheets from running them.
    const cells = row.map(restoreNeutralised);
    const raw = cells.join(",");
    if (hasHeader) {
      rows.push({ line, raw, email: cells[emailColumn]?.trim() ?? "", name: nameColumn >= 0 ? (cells[nameColumn]?.trim() ?? null) : null });
      return;
    }
    // Without a header: the cell that looks like an address, and a neighbouring one as the name.
    const addressAt = cells.findIndex((cell) => cell.includes("@"));
    if (addressAt < 0) {
      rows.push({ line, raw, email: cells[0]?.trim() ?? "", name: null });
      return;
    }
    const other = cells.find((cell, i) => i !== addressAt && cell.trim() !== "");
    rows.push({ line, raw, email: cells[addressAt]!.trim(), name: other?.trim() ?? null });
  });
  return { rows, problems };
}

function textRows(text: string): Row[] {
  return text
    .split(/\r\n|\n|\r/)
    .map((raw, index) => ({ line: index + 1, raw: raw.trim(), email: null, name: null }))
    .filter((row) => row.raw !== "" && !row.raw.startsWith("#"));
}

/**
 * Parses, validates and de-duplicates (case-insensitively, first occurrence wins) the input.
 * CSV cells may themselves be `Name <address>`; an explicit name column wins over such a name.
 */
export function parseMassInput(text: string, format: "text" | "csv"): ParsedMassInput {
  const rows = format === "csv" ? csvRows(text).rows : textRows(text);
  const result: ParsedMassInput = { entries: [], invalid: [], duplicates: [] };
  const seen = new Map<string, number>();
  for (const row of rows) {
    const parsed = parseAddressLine(row.email ?? row.raw);
    if ("problem" in parsed) {
      result.invalid.push({ line: row.line, raw: row.raw, reason: parsed.problem });
      continue;
    }
    const key = addressKey(parsed.email);
    const firstLine = seen.get(key);
    if (firstLine !== undefined) {
      result.duplicates.push({ line: row.line, raw: row.raw, email: parsed.email, firstLine });
      continue;
    }
    seen.set(key, row.line);
    const displayName = row.name && row.name !== "" ? row.name : parsed.displayName;
    result.entries.push({ line: row.line, raw: row.raw, email: parsed.email, displayName });
  }
  return result;
}

const listRefShape = { targetId: z.coerce.number().int().positive(), listId: z.string().min(1).max(320) };

const massInputShape = {
  ...listRefShape,
  format: z.enum(["text", "csv"]),
  input: z
    .string()
    .max(MAX_MASS_INPUT, `The input is longer than ${MAX_MASS_INPUT.toLocaleString("en")} characters: split it into several jobs.`)
    .refine((s) => s.trim() !== "", "Paste at least one address or choose a file."),
};

export const subscribeOptionsSchema = z.object({
  preVerified: z.boolean().default(true),
  preConfirmed: z.boolean().default(true),
  preApproved: z.boolean().default(true),
  invitation: z.boolean().default(false),
  sendWelcome: z.boolean().default(false),
  deliveryMode: z.enum(deliveryModes).default("regular"),
});
export type SubscribeOptions = z.infer<typeof subscribeOptionsSchema>;

export const removeOptionsSchema = z.object({
  notify: z.boolean().default(false),
});
export type RemoveOptions = z.infer<typeof removeOptionsSchema>;

export const massSubscribePreflightSchema = z.object(massInputShape);
export const massSubscribeStartSchema = z.object({
  ...massInputShape,
  options: subscribeOptionsSchema,
  // The owner's statement that the people agreed; required when anything is pre-verified/confirmed.
  consent: z.boolean(),
});
export const massRemovePreflightSchema = z.object(massInputShape);
export const massRemoveStartSchema = z.object({ ...massInputShape, options: removeOptionsSchema });
export const removeAllStartSchema = z.object({
  ...listRefShape,
  options: removeOptionsSchema,
  confirmCount: z.coerce.number().int().nonnegative(),
});
export const bulkJobRefSchema = z.object({ ...listRefShape, jobId: z.coerce.number().int().positive() });
