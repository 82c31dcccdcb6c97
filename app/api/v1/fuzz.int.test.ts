import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createApiToken } from "@/lib/auth/api-tokens";
import { makeUser } from "@/tests/support/factories";

/**
 * Every JSON API v1 route, every method, with random and hostile input (fast-check): huge and
 * control-character strings, SQL and header-injection text, wrong types, unknown keys, numbers
 * past PostgreSQL's integers, bodies that are not JSON or are 10 MB. Every answer is a success or
 * a 4xx problem+json with a message, within seconds, never a 500; and a refused call changes
 * nothing in the database.
 */

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
interface Route {
  file: string;
  path: string;
  params: string[];
  methods: { method: (typeof METHODS)[number]; handler: Handler }[];
}

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [full] : [];
  });
}

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "' or 1=1 --",
    "'; drop table people; --",
    "\u0000",
    "a\r\nSet-Cookie: owned=1",
    "../../etc/passwd",
    "..",
    "%00%0d%0a",
    "<script>alert(1)</script>",
    "=HYPERLINK(\"http://x\")",
    "99999999999999999999999999",
    "-1",
    "0",
    "1e309",
    "NaN",
    "Infinity",
    "true",
    "null",
    "x@",
    "@example.org",
    "a@b",
    "^(a+)+$",
  ),
  fc.bigInt({ min: 2n ** 31n - 2n, max: 10n ** 25n }).map(String),
  fc.string({ minLength: 5_000, maxLength: 20_000 }),
);
const hostileNumber = fc.oneof(fc.integer(), fc.double(), fc.integer({ min: 2 ** 31 - 2, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(2 ** 31, 2 ** 53, -1, 0, 1e300));
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(hostileText, hostileNumber, fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
/** Bodies shaped like the API's (its field names) with hostile values, and anything else. */
const FIELDS = ["displayName", "givenName", "familyName", "status", "externalId", "emails", "address", "type", "verified", "name", "description", "targetId", "membersGroupId", "adminsGroupId", "moderatorsGroupId", "eligibilityGroupId", "membershipMode", "member", "owner", "validFrom", "validThrough", "subscribed", "action", "serverUrl", "adminUser", "adminPassword", "domain", "mode", "retryIntervalS", "maxRetry"];
const hostileBody = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(hostileValue, fc.array(fc.dictionary(fc.constantFrom("address", "type", "verified", "id"), hostileValue), { maxLength: 3 })), { maxKeys: 6 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.string({ maxLength: 10 }), hostileValue, { maxKeys: 4 }),
);
const hostileId = fc.oneof(hostileText, fc.integer({ min: 10_000_000, max: 2 ** 31 - 1 }).map(String), fc.constantFrom("0", "2147483648", "99999999999999999999"));
const hostileQuery = fc.dictionary(fc.constantFrom("page", "perPage", "dryRun", "status", "targetId", "subjectType", "subjectId", "personId", "emailListId", "jobId", "open", "q", "x"), hostileText, { maxKeys: 4 });

const COUNTED = ["people", "email_addresses", "groups", "group_memberships", "email_lists", "list_preferences", "provisioner_targets", "provisioning_jobs", "provisioning_conflicts", "api_tokens"];

async function counts(): Promise<Record<string, number>> {
  const db = await getDb();
  const out: Record<string, number> = {};
  for (const table of COUNTED) {
    const result = await db.execute(sql.raw(`select count(*)::int as n from ${table}`));
    const rows = (Array.isArray(result) ? result : (result as { rows: { n: number }[] }).rows) as { n: number }[];
    out[table] = Number(rows[0]!.n);
  }
  return out;
}

let token: string;
const routes: Route[] = [];

beforeAll(async () => {
  token = (await createApiToken("fuzz", (await makeUser({ superuser: true })).id)).token;
  const root = path.resolve(__dirname);
  for (const file of routeFiles(root).sort()) {
    const relative = path.relative(root, path.dirname(file));
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    routes.push({
      file: path.relative(path.resolve(root, "../../.."), file),
      path: `/api/v1/${relative}`.replace(/\/$/, ""),
      params: [...relative.matchAll(/\[(\w+)\]/g)].map((m) => m[1]!),
      methods: METHODS.filter((m) => typeof mod[m] === "function").map((method) => ({ method, handler: mod[method] as Handler })),
    });
  }
});

async function callWithin(handler: Handler, request: Request, params: Record<string, string>, ms = 15_000): Promise<Response> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      handler(request, { params: Promise.resolve(params) }),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function expectCleanAnswer(response: Response, label: string) {
  const text = await response.text();
  expect(response.status, `${label} → ${response.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.headers.get("content-type"), label).toBe("application/problem+json");
    const problem = JSON.parse(text) as { detail?: unknown; status?: unknown };
    expect(problem.status, label).toBe(response.status);
    expect(typeof problem.detail === "string" && problem.detail.length > 0, `${label}: a message`).toBe(true);
  }
}

describe("the JSON API v1 under random and hostile input", () => {
  it("finds every route file (a new route is fuzzed without being listed)", () => {
    expect(routes.length).toBeGreaterThanOrEqual(28);
    expect(routes.every((r) => r.methods.length > 0)).toBe(true);
  });

  it("answers every method of every route with a success or a 4xx problem, never a 500, and a refusal changes nothing", { timeout: 600_000 }, async () => {
    for (const route of routes) {
      for (const { method, handler } of route.methods) {
        await fc.assert(
          fc.asyncProperty(fc.tuple(...route.params.map(() => hostileId)), hostileQuery, hostileBody, async (ids, query, body) => {
            const params = Object.fromEntries(route.params.map((name, i) => [name, ids[i]!]));
            const url = new URL(`http://localhost${route.path}`);
            for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
            const withBody = method !== "GET" && method !== "DELETE";
            const request = new Request(url, {
              method,
              headers: { authorization: `Bearer ${token}`, ...(withBody ? { "content-type": "application/json" } : {}) },
              body: withBody ? JSON.stringify(body) : undefined,
            });
            const before = await counts();
            const response = await callWithin(handler, request, params);
            const label = `${method} ${route.path} ${JSON.stringify(params).slice(0, 200)}`;
            const status = response.status;
            await expectCleanAnswer(response, label);
            if (status >= 400) expect(await counts(), `${label}: refused, so nothing may change`).toEqual(before);
          }),
          { numRuns: 30, seed: 20261201, endOnFailure: true },
        );
      }
    }
  });

  it("refuses numbers past PostgreSQL's integers in every query parameter of every list", async () => {
    for (const route of routes.filter((r) => r.params.length === 0)) {
      const get = route.methods.find((m) => m.method === "GET");
      if (!get) continue;
      for (const key of ["page", "perPage", "targetId", "subjectId", "personId", "emailListId", "jobId"]) {
        for (const value of ["99999999999999999999", "2147483648", "1e10", "-5"]) {
          const url = `http://localhost${route.path}?${key}=${value}`;
          await expectCleanAnswer(await callWithin(get.handler, new Request(url, { headers: { authorization: `Bearer ${token}` } }), {}), `GET ${route.path}?${key}=${value}`);
        }
      }
    }
  });

  it("refuses a 10 MB body with 413 and a body that is not JSON with 422 on every route that takes one", { timeout: 300_000 }, async () => {
    const huge = JSON.stringify({ displayName: "x".repeat(10 * 1024 * 1024) });
    for (const route of routes) {
      for (const { method, handler } of route.methods.filter((m) => m.method !== "GET" && m.method !== "DELETE")) {
        // An id nothing has: a route that takes no body answers 404 without doing anything.
        const params = Object.fromEntries(route.params.map((name) => [name, "2147483647"]));
        const url = `http://localhost${route.path}`;
        const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
        const big = await callWithin(handler, new Request(url, { method, headers, body: huge }), params);
        const bigLabel = `${method} ${route.path} with 10 MB`;
        expect([413, 404], bigLabel).toContain(big.status);
        await expectCleanAnswer(big, bigLabel);
        const broken = await callWithin(handler, new Request(url, { method, headers, body: "{not json" }), params);
        await expectCleanAnswer(broken, `${method} ${route.path} with broken JSON`);
      }
    }
  });
});
