import Papa from "papaparse";
import { z } from "zod";
import { deliveryModes } from "@/lib/mailman/schemas";
import { restoreNeutralised } from "./csv-formula";
import { queryId } from "@/lib/validation/ids";

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
  /** Set when the input is a Google Groups members export (Google Takeout / "Export members"). */
  googleGroups?: GoogleGroupsImport;
}

// Google Groups members export --------------------------------------------------------------------

/**
 * The members CSV Google Groups exports (Takeout, or "Export members" in the group's settings):
 * an optional first row "Members for group <name>", then a header row
 * `Email address,Nickname,Group status,Email status,Email preference,Posting permissions,Join year,
 * Join month,Join day,Join hour,Join minute,Join second,Time zone`. Group status is member, manager
 * or owner (invited and pending people have not joined); email status is empty unless Google
 * stopped delivering (bouncing, suspended …).
 */
export interface GoogleGroupsRow {
  line: number;
  email: string;
  displayName: string | null;
  groupStatus: string;
  emailStatus: string;
  emailPreference: string;
  /** "2018-04-10 18:54:07 Mountain Daylight Time", as exported (no zone offset is given). */
  joined: string | null;
}

export interface GoogleGroupsImport {
  groupName: string | null;
  /** Owners and managers, offered as the list's owners and moderators. */
  staff: (GoogleGroupsRow & { role: "owner" | "moderator" })[];
  /** Rows left out: bouncing, suspended, invited, pending … unless their line was chosen. */
  leftOut: (GoogleGroupsRow & { reason: string })[];
  /** Flagged rows that were chosen and so are subscribed like the others. */
  included: (GoogleGroupsRow & { reason: string })[];
  /** How many rows asked for each delivery ("All email", "Digest", "No email" …). */
  preferences: Record<string, number>;
}

const TAKEOUT_EMAIL = "email address";
const TAKEOUT_MARKERS = ["nickname", "group status", "email status"];
/** Group statuses of people who have not joined, or may not: left out unless chosen. */
const NOT_JOINED = new Set(["invited", "pending", "banned", "suspended", "requested"]);
/** Email statuses that mean delivery works (Google leaves the cell empty). */
const DELIVERING = new Set(["", "normal", "active", "ok", "enabled"]);

interface TakeoutLayout {
  headerAt: number;
  groupName: string | null;
  column: (name: string) => number;
}

function takeoutLayout(data: readonly string[][]): TakeoutLayout | null {
  for (const headerAt of [0, 1]) {
    const header = (data[headerAt] ?? []).map(normaliseHeader);
    if (!header.includes(TAKEOUT_EMAIL) || !TAKEOUT_MARKERS.some((m) => header.includes(m))) continue;
    const title = headerAt === 1 ? /^members for group (.+)$/i.exec((data[0]?.[0] ?? "").trim()) : null;
    if (headerAt === 1 && !title) continue;
    return { headerAt, groupName: title?.[1]?.trim() ?? null, column: (name) => header.indexOf(name) };
  }
  return null;
}

function takeoutJoined(cells: readonly string[], layout: TakeoutLayout): string | null {
  const part = (name: string) => cells[layout.column(name)]?.trim() ?? "";
  const [y, mo, d, h, mi, se] = ["join year", "join month", "join day", "join hour", "join minute", "join second"].map(part);
  if (!y || !mo || !d) return null;
  const pad = (v: string | undefined) => (v ?? "0").padStart(2, "0");
  const zone = part("time zone");
  return `${y}-${pad(mo)}-${pad(d)}${h ? ` ${pad(h)}:${pad(mi)}:${pad(se)}` : ""}${zone ? ` ${zone}` : ""}`;
}

/** Why a row of the export is left out unless chosen, or null. */
export function takeoutFlag(groupStatus: string, emailStatus: string): string | null {
  if (!DELIVERING.has(emailStatus)) return `email status “${emailStatus}” in Google Groups`;
  if (NOT_JOINED.has(groupStatus)) return `“${groupStatus}” in Google Groups (not a member there)`;
  return null;
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
  takeout?: Omit<GoogleGroupsRow, "line" | "email" | "displayName">;
}

function csvRows(text: string): { rows: Row[]; problems: InvalidEntry[]; groupName?: string | null } {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: "greedy" });
  const data = parsed.data.filter((row) => row.some((cell) => cell.trim() !== ""));
  const problems: InvalidEntry[] = [];
  if (data.length === 0) return { rows: [], problems };
  const takeout = takeoutLayout(data);
  if (takeout) {
    const cell = (cells: readonly string[], name: string) => cells[takeout.column(name)]?.trim() ?? "";
    const rows = data.flatMap((cells, index): Row[] =>
      index <= takeout.headerAt
        ? []
        : [
            {
              line: index + 1,
              raw: cells.join(","),
              email: cell(cells, TAKEOUT_EMAIL),
              name: cell(cells, "nickname") || null,
              takeout: {
                groupStatus: cell(cells, "group status").toLowerCase(),
                emailStatus: cell(cells, "email status").toLowerCase(),
                emailPreference: cell(cells, "email preference"),
                joined: takeoutJoined(cells, takeout),
              },
            },
          ],
    );
    return { rows, problems, groupName: takeout.groupName };
  }
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
export function parseMassInput(text: string, format: "text" | "csv", options: { include?: readonly number[] } = {}): ParsedMassInput {
  const csv = format === "csv" ? csvRows(text) : null;
  const rows = csv ? csv.rows : textRows(text);
  const result: ParsedMassInput = { entries: [], invalid: [], duplicates: [] };
  const google: GoogleGroupsImport | null =
    csv && csv.groupName !== undefined ? { groupName: csv.groupName, staff: [], leftOut: [], included: [], preferences: {} } : null;
  if (google) result.googleGroups = google;
  const chosen = new Set(options.include ?? []);
  const seen = new Map<string, number>();
  for (const row of rows) {
    const parsed = parseAddressLine(row.email ?? row.raw);
    if ("problem" in parsed) {
      result.invalid.push({ line: row.line, raw: row.raw, reason: parsed.problem });
      continue;
    }
    if (google && row.takeout) {
      const info: GoogleGroupsRow = { line: row.line, email: parsed.email, displayName: row.name || parsed.displayName, ...row.takeout };
      const reason = takeoutFlag(row.takeout.groupStatus, row.takeout.emailStatus);
      if (reason && !chosen.has(row.line)) {
        google.leftOut.push({ ...info, reason });
        continue;
      }
      if (reason) google.included.push({ ...info, reason });
      const preference = row.takeout.emailPreference || "(not given)";
      google.preferences[preference] = (google.preferences[preference] ?? 0) + 1;
      if (row.takeout.groupStatus === "owner" || row.takeout.groupStatus === "manager") {
        if (!google.staff.some((s) => addressKey(s.email) === addressKey(parsed.email))) {
          google.staff.push({ ...info, role: row.takeout.groupStatus === "owner" ? "owner" : "moderator" });
        }
      }
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

const listRefShape = { targetId: queryId, listId: z.string().min(1).max(320) };

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

/**
 * Choices about a Google Groups export: flagged rows (by line) to subscribe anyway, and owners
 * and managers (by line) to make owners and moderators once the job has run.
 */
export const googleGroupsChoicesSchema = z.object({
  include: z.array(z.number().int().positive()).max(MAX_MASS_ENTRIES).default([]),
  staff: z.array(z.number().int().positive()).max(1_000).default([]),
});
export type GoogleGroupsChoices = z.infer<typeof googleGroupsChoicesSchema>;

export const massSubscribePreflightSchema = z.object({
  ...massInputShape,
  googleGroups: googleGroupsChoicesSchema.optional(),
  // The options decide what the core will do with new addresses (lib/members/subscribe-prediction.ts).
  options: subscribeOptionsSchema.optional(),
});
export const massSubscribeStartSchema = z.object({
  ...massInputShape,
  googleGroups: googleGroupsChoicesSchema.optional(),
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
export const bulkJobRefSchema = z.object({ ...listRefShape, jobId: queryId });
