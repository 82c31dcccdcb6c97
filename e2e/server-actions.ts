import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";

/**
 * Calls server actions over HTTP the way the browser does, for the access matrix and the fuzz
 * spec. A client component's `action(input)` is a `fetch` POST to the current page's URL with
 * the action's id in the `Next-Action` header and the arguments as React's `encodeReply` writes
 * them: for JSON-like values a JSON array sent as text/plain, strings that start with "$" escaped
 * as "$$" (other "$" strings are references). The answer is a React Flight stream
 * (text/x-component) whose row 0 points at the action's result (`"a": "$@1"`).
 */

const root = process.cwd();

/** `app/…/actions.ts#exportedName`, the action's key in the access matrix. */
export type ActionKey = string;

export interface BuiltAction {
  id: string;
  key: ActionKey;
  /** The page routes whose server bundle holds the action, as `app/<dir>/page`. */
  workers: string[];
}

/** Every server action in the production build (`.next/server/server-reference-manifest.json`). */
export function builtActions(): BuiltAction[] {
  const manifest = JSON.parse(readFileSync(path.join(root, ".next", "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; exportedName?: string; filename?: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    if (!entry.filename || !entry.exportedName) throw new Error(`The build's action ${id} has no file name or export name: the manifest's format changed.`);
    return { id, key: `${entry.filename.split(path.sep).join("/")}#${entry.exportedName}`, workers: Object.keys(entry.workers) };
  });
}

/**
 * Every server action in the source: each export of a file that starts with "use server", and
 * each inline `"use server"` function of a page (Next names those `$$RSC_SERVER_ACTION_<n>`).
 */
export function sourceActions(): ActionKey[] {
  const out: ActionKey[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name)) {
        const text = readFileSync(full, "utf8");
        const file = path.relative(root, full).split(path.sep).join("/");
        if (/^\s*["']use server["'];?/.test(text)) {
          for (const m of text.matchAll(/^export (?:const|async function|function) (\w+)/gm)) out.push(`${file}#${m[1]}`);
        } else {
          let n = 0;
          for (const _ of text.matchAll(/^\s+["']use server["'];?\s*$/gm)) out.push(`${file}#$$RSC_SERVER_ACTION_${n++}`);
        }
      }
    }
  };
  walk(path.join(root, "app"));
  return out.sort();
}

/** React's `encodeReply` for JSON-like values (what a client component sends). */
export function encodeArgs(args: unknown[]): string {
  return JSON.stringify(args, function (this: unknown, key: string, value: unknown) {
    const original = (this as Record<string, unknown>)[key];
    if (typeof original === "string") return original.startsWith("$") ? `$${original}` : original;
    if (typeof original === "number") {
      if (Number.isNaN(original)) return "$NaN";
      if (original === Infinity) return "$Infinity";
      if (original === -Infinity) return "$-Infinity";
      if (Object.is(original, -0)) return "$-0";
    }
    if (original === undefined) return "$undefined";
    if (typeof original === "bigint") return `$n${original.toString(10)}`;
    return value;
  });
}

/** The rows of a Flight stream: `<hex id>:<tag?><data>` up to a newline, or T/binary rows with a hex length. */
function flightRows(body: Buffer): Map<number, { tag: string; data: string }> {
  const rows = new Map<number, { tag: string; data: string }>();
  let i = 0;
  while (i < body.length) {
    const colon = body.indexOf(0x3a, i);
    if (colon < 0) break;
    const id = Number.parseInt(body.subarray(i, colon).toString("latin1"), 16);
    let j = colon + 1;
    const c = String.fromCharCode(body[j]!);
    if ("TAOoUSsLlGgMmVb".includes(c)) {
      const comma = body.indexOf(0x2c, j);
      const length = Number.parseInt(body.subarray(j + 1, comma).toString("latin1"), 16);
      rows.set(id, { tag: c, data: body.subarray(comma + 1, comma + 1 + length).toString("utf8") });
      i = comma + 1 + length;
      continue;
    }
    let tag = "";
    if ((c >= "A" && c <= "Z") || c === "#" || c === "r" || c === "x") {
      tag = c;
      j++;
    }
    const newline = body.indexOf(0x0a, j);
    const end = newline < 0 ? body.length : newline;
    rows.set(id, { tag, data: body.subarray(j, end).toString("utf8") });
    i = end + 1;
  }
  return rows;
}

/** Thrown in the server action (a rejected result): Next sends only a digest. */
export interface ThrownResult {
  thrown: { digest?: string; message?: string };
}

function decodeFlight(body: Buffer): unknown {
  const rows = flightRows(body);
  const resolved = new Map<number, unknown>();
  const resolve = (id: number): unknown => {
    if (resolved.has(id)) return resolved.get(id);
    const row = rows.get(id);
    if (!row) throw new Error(`The action's answer refers to row ${id}, which it does not hold.`);
    let value: unknown;
    if (row.tag === "T") value = row.data;
    else if (row.tag === "E") value = { thrown: JSON.parse(row.data) as ThrownResult["thrown"] };
    else if (row.tag === "") value = revive(JSON.parse(row.data));
    else throw new Error(`The action's answer has a row of kind "${row.tag}" where a value was expected.`);
    resolved.set(id, value);
    return value;
  };
  const revive = (value: unknown): unknown => {
    if (typeof value === "string") {
      if (!value.startsWith("$")) return value;
      if (value.startsWith("$$")) return value.slice(1);
      if (value === "$undefined") return undefined;
      if (value === "$NaN") return NaN;
      if (value === "$Infinity") return Infinity;
      if (value === "$-Infinity") return -Infinity;
      if (value === "$-0") return -0;
      if (value.startsWith("$D")) return new Date(value.slice(2));
      if (value.startsWith("$n")) return BigInt(value.slice(2));
      if (value.startsWith("$@")) return resolve(Number.parseInt(value.slice(2), 16));
      if (/^\$[0-9a-f]+$/.test(value)) return resolve(Number.parseInt(value.slice(1), 16));
      throw new Error(`The action's answer holds a Flight value this reader does not know: ${value.slice(0, 20)}`);
    }
    if (Array.isArray(value)) return value.map(revive);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
    return value;
  };
  const head = rows.get(0);
  if (!head || head.tag !== "") throw new Error("The action's answer has no row 0.");
  const root = JSON.parse(head.data) as { a?: unknown };
  return revive(root.a);
}

export interface ActionAnswer {
  status: number;
  /** The action's return value (safe actions: `{ data }`, `{ validationErrors }` or `{ serverError }`). */
  result: unknown;
  /** Where the action sent the browser (`redirect()`), if it did. */
  redirect: string | null;
  /** The raw body, for checks that a refusal carries no data. */
  body: string;
  ms: number;
}

export interface CallOptions {
  /** The page the browser is on when it calls the action (its bundle must hold the action). */
  pageUrl: string;
  /** The action's arguments (a safe action takes one), or a body sent as is. */
  args?: unknown[];
  rawBody?: string | Buffer;
  timeoutMs?: number;
}

export async function callAction(request: APIRequestContext, baseURL: string, actionId: string, options: CallOptions): Promise<ActionAnswer> {
  const started = Date.now();
  const response = await request.fetch(options.pageUrl, {
    method: "POST",
    headers: {
      accept: "text/x-component",
      "next-action": actionId,
      "content-type": "text/plain;charset=UTF-8",
      origin: new URL(baseURL).origin,
    },
    data: options.rawBody ?? encodeArgs(options.args ?? []),
    maxRedirects: 0,
    timeout: options.timeoutMs ?? 15_000,
  });
  const buffer = await response.body();
  const ms = Date.now() - started;
  const redirect = response.headers()["x-action-redirect"] ?? null;
  const type = response.headers()["content-type"] ?? "";
  const result = type.startsWith("text/x-component") && buffer.length > 0 && !redirect ? decodeFlight(buffer) : undefined;
  return { status: response.status(), result, redirect, body: buffer.toString("utf8"), ms };
}

/** A safe action's answer, sorted: what the matrix and the fuzz spec look at. */
export type SafeAnswer =
  | { kind: "data"; data: unknown }
  | { kind: "validation"; errors: unknown }
  | { kind: "serverError"; message: string }
  | { kind: "redirect"; to: string }
  | { kind: "nothing" }
  | { kind: "thrown"; detail: string };

export function sortAnswer(answer: ActionAnswer): SafeAnswer {
  if (answer.redirect) return { kind: "redirect", to: answer.redirect };
  const r = answer.result as Record<string, unknown> | undefined;
  if (r && typeof r === "object" && "thrown" in r) return { kind: "thrown", detail: JSON.stringify(r.thrown) };
  if (r === undefined || r === null) return { kind: "nothing" };
  if (typeof r === "object" && r.serverError) {
    const message = (r.serverError as { message?: unknown }).message;
    return { kind: "serverError", message: typeof message === "string" ? message : JSON.stringify(r.serverError) };
  }
  if (typeof r === "object" && r.validationErrors) return { kind: "validation", errors: r.validationErrors };
  if (typeof r === "object" && Object.keys(r).length === 0) return { kind: "data", data: undefined };
  return { kind: "data", data: typeof r === "object" && "data" in r ? r.data : r };
}
