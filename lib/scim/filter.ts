import { parse, Tester, type Filter } from "scim2-parse-filter";
import { ScimProblem } from "./errors";
import { LIST_RESPONSE_SCHEMA } from "./schemas";

/**
 * SCIM `filter` (RFC 7644 §3.4.2.2), parsed and evaluated by scim2-parse-filter. What a provider
 * sends before each create (`userName eq "…"`, `externalId eq "…"`, Entra's
 * `emails[type eq "work"].value eq "…"`, `displayName eq "…"` for groups) also narrows the
 * database read, so a look-up costs one indexed query, not a scan of every resource.
 */

/** userName, emails and displayName are caseExact=false (RFC 7643 §4.1.1, §4.1.2, §4.2). */
type Comparable = string | number | boolean | null;

class CaseInsensitiveTester extends Tester {
  private static fold = <V>(v: V): V => (typeof v === "string" ? (v.toLowerCase() as V) : v);
  override eq(r: unknown, v: Comparable) {
    return super.eq(CaseInsensitiveTester.fold(r), CaseInsensitiveTester.fold(v));
  }
  override ne(r: unknown, v: Comparable) {
    return super.ne(CaseInsensitiveTester.fold(r), CaseInsensitiveTester.fold(v));
  }
  override co(r: unknown, v: Comparable) {
    return super.co(CaseInsensitiveTester.fold(r), CaseInsensitiveTester.fold(v));
  }
  override sw(r: unknown, v: Comparable) {
    return super.sw(CaseInsensitiveTester.fold(r), CaseInsensitiveTester.fold(v));
  }
  override ew(r: unknown, v: Comparable) {
    return super.ew(CaseInsensitiveTester.fold(r), CaseInsensitiveTester.fold(v));
  }
}

const tester = new CaseInsensitiveTester();

export function parseFilter(filter: string | null): Filter | null {
  if (!filter || !filter.trim()) return null;
  if (filter.length > 2000) throw new ScimProblem(400, "The filter is too long.", "invalidFilter");
  try {
    return parse(filter);
  } catch (error) {
    throw new ScimProblem(400, `The filter cannot be read: ${(error as Error).message}`, "invalidFilter");
  }
}

export function matches(resource: unknown, filter: Filter | null): boolean {
  return filter === null || tester.test(resource, filter);
}

/** Exact values a filter requires (eq at the top or under `and`), by lower-cased attribute path. */
export function requiredEquals(filter: Filter | null): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (f: Filter) => {
    if (f.op === "and") f.filters.forEach(visit);
    else if (f.op === "eq" && typeof f.compValue === "string") out.set(f.attrPath.toLowerCase().replace(/^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/, ""), f.compValue);
    else if (f.op === "[]" && f.attrPath.toLowerCase() === "emails") {
      // emails[type eq "work" and value eq "x"]
      const inner = requiredEquals(f.valFilter);
      const v = inner.get("value");
      if (v) out.set("emails.value", v);
    }
  };
  if (filter) visit(filter);
  // Entra: emails[type eq "work"].value eq "x" arrives as a plain attribute path.
  for (const [k, v] of [...out]) if (/^emails\[.*\]\.value$/.test(k)) out.set("emails.value", v);
  return out;
}

export interface Paging {
  startIndex: number;
  count: number;
}

/** startIndex is 1-based; values below 1 are read as 1, a negative count as 0 (RFC 7644 §3.4.2.4). */
export function paging(url: URL, max = 1000): Paging {
  const num = (name: string) => {
    const raw = url.searchParams.get(name);
    if (raw === null || raw === "") return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new ScimProblem(400, `${name} must be a number.`, "invalidValue");
    return Math.trunc(n);
  };
  return { startIndex: Math.max(1, num("startIndex") ?? 1), count: Math.min(max, Math.max(0, num("count") ?? 100)) };
}

export function listResponse<T>(all: readonly T[], page: Paging) {
  const slice = all.slice(page.startIndex - 1, page.startIndex - 1 + page.count);
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults: all.length, startIndex: page.startIndex, itemsPerPage: slice.length, Resources: slice };
}

const ALWAYS = new Set(["id", "schemas", "meta"]);

/** `attributes` / `excludedAttributes` on top-level attributes (Entra and Okta ask `excludedAttributes=members`). */
export function project<T extends Record<string, unknown>>(resource: T, url: URL): Partial<T> {
  const list = (name: string) =>
    (url.searchParams.get(name) ?? "")
      .split(",")
      .map((a) => a.trim().toLowerCase().replace(/^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/, "").split(".")[0]!)
      .filter(Boolean);
  const only = list("attributes");
  const excluded = list("excludedAttributes");
  if (only.length === 0 && excluded.length === 0) return resource;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(resource)) {
    const key = k.toLowerCase();
    if (ALWAYS.has(key) || ((only.length === 0 || only.includes(key)) && !excluded.includes(key))) out[k] = v;
  }
  return out as Partial<T>;
}
