import { readdirSync } from "node:fs";
import path from "node:path";
import type { APIResponse } from "@playwright/test";
import { ACCESS_MATRIX, ACTION_MATRIX, ALLOWED, PERSONAS, type Entry, type Persona } from "./access-matrix";
import { expect, test } from "./fixtures";
import { isAnonymousFor, leaks, setUpPersonas } from "./personas";
import { builtActions, sourceActions } from "./server-actions";

/** Every page and route handler under app/, keyed as in ACCESS_MATRIX. */
function routeFiles(): { key: string; kind: "page" | "route" }[] {
  const appDir = path.join(process.cwd(), "app");
  const out: { key: string; kind: "page" | "route" }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^(page|route)\.tsx?$/.test(entry.name)) out.push({ key: path.relative(appDir, dir).split(path.sep).join("/"), kind: entry.name.startsWith("page") ? "page" : "route" });
    }
  };
  walk(appDir);
  return out;
}

test("the access table names every page and route handler, and nothing else", () => {
  const files = routeFiles().map((f) => `${f.kind} ${f.key}`).sort();
  const table = Object.entries(ACCESS_MATRIX)
    .flatMap(([key, e]) => [e.page ? `page ${key}` : null, e.route ? `route ${key}` : null])
    .filter((x): x is string => x !== null)
    .sort();
  expect(table).toEqual(files);
});

type Outcome = "allowed" | "login" | "denied" | "notFound" | "error";

function outcome(response: APIResponse): Outcome {
  const status = response.status();
  if (status >= 300 && status < 400) return /\/login(\?|$)/.test(response.headers().location ?? "") ? "login" : "allowed";
  if (status === 401) return "login";
  if (status === 403) return "denied";
  if (status === 404) return "notFound";
  if (status >= 500) return "error";
  return "allowed";
}

function expected(entry: Entry, persona: Persona, kind: "page" | "route"): Outcome[] {
  if (entry.rule === "refusal") return ["denied"];
  if (ALLOWED[entry.rule].includes(persona)) return entry.missingObject ? ["allowed", "notFound"] : ["allowed"];
  if (isAnonymousFor(persona, entry.rule) || entry.rule === "coreOnly" || entry.rule === "scimConnector") return kind === "route" ? ["login", "denied"] : ["login"];
  // A list the persona may not see is "not found", so that its existence does not leak.
  return ["denied", "notFound"];
}

test("every persona gets exactly what its role allows on every page and route, and no data when refused", async ({ browser, playwright, baseURL }) => {
  test.setTimeout(600_000);
  const { samples, subject, requests } = await setUpPersonas(browser, playwright, baseURL!);

  const failures: string[] = [];
  for (const [key, entries] of Object.entries(ACCESS_MATRIX)) {
    for (const kind of ["page", "route"] as const) {
      const entry = entries[kind];
      if (!entry) continue;
      const url = entry.url(samples);
      // The personas side by side: each has its own session, and nothing here writes.
      await Promise.all(
        PERSONAS.map(async (persona) => {
          const method = entry.method ?? "GET";
          const response = await requests.get(persona)!.fetch(url, { method, maxRedirects: 0, ...(method === "GET" ? {} : { data: {} }) });
          const got = outcome(response);
          const want = expected(entry, persona, kind);
          if (!want.includes(got)) failures.push(`${persona} ${kind} ${key} (${url}): ${got} (${response.status()}), expected ${want.join(" or ")}`);
          if (!ALLOWED[entry.rule].includes(persona)) {
            for (const secret of leaks(await response.text(), persona, subject)) failures.push(`${persona} ${kind} ${key}: the refusal contains ${secret}`);
          }
        }),
      );
    }
  }
  expect(failures).toEqual([]);
});

// The actions' rules are asserted in e2e/action-access.exclusive.spec.ts (it reads the database between calls, so it runs alone).
test("the action table names every server action in the source and in the build, and nothing else", () => {
  const table = Object.keys(ACTION_MATRIX).sort();
  expect(table, "app/ files against the table").toEqual(sourceActions());
  expect(table, "the production build against the table").toEqual(builtActions().map((a) => a.key).sort());
});
