import { readdirSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, APIResponse, Page } from "@playwright/test";
import { MailmanClient } from "../lib/mailman";
import { allHeld, injectMessage } from "../lib/mailman/held";
import { ACCESS_MATRIX, ALLOWED, PERSONAS, type Entry, type Persona, type Samples } from "./access-matrix";
import { core, expect, people, seeded, signIn, test, uniqueName } from "./fixtures";

const client = () => new MailmanClient({ baseUrl: core.restUrl, user: core.user, password: core.password });

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
  // A bearer token opens the JSON API only; elsewhere its holder is anonymous.
  const anonymous = persona === "anonymous" || persona === "invalidToken" || (persona === "superuserToken" && !entry.rule.startsWith("api"));
  if (anonymous || entry.rule === "coreOnly" || entry.rule === "scimConnector") return kind === "route" ? ["login", "denied"] : ["login"];
  // A list the persona may not see is "not found", so that its existence does not leak.
  return ["denied", "notFound"];
}

test("every persona gets exactly what its role allows on every page and route, and no data when refused", async ({ browser, playwright, baseURL }) => {
  test.setTimeout(600_000);
  const listA = seeded.listId("owned");
  const mailman = client();
  const member = await mailman.findMembers({ listId: listA, subscriber: people.member.email, role: "member" }, { count: 1, page: 1 });
  const memberIdA = member.entries[0]?.member_id;
  expect(memberIdA, "the seeded member of list A").toBeTruthy();
  const subject = `Held for the matrix ${uniqueName("s")}`;
  await injectMessage(mailman, listA, [`From: stranger@outside.example`, `To: owned@${seeded.domain}`, `Subject: ${subject}`, `Message-ID: <${uniqueName("m")}@outside.example>`, "", "Hello.", ""].join("\n"));
  await expect.poll(async () => (await allHeld(mailman, listA)).find((h) => h.subject === subject)?.request_id, { timeout: 60_000 }).toBeTruthy();
  const heldIdA = (await allHeld(mailman, listA)).find((h) => h.subject === subject)!.request_id;
  const samples: Samples = { targetId: seeded.targetId, listA, memberIdA: String(memberIdA), heldIdA: Number(heldIdA) };

  const accounts: Record<Exclude<Persona, "anonymous" | "superuserToken" | "invalidToken">, { email: string; password: string }> = {
    member: people.member,
    moderatorA: people.moderator,
    ownerA: people.owner,
    ownerB: people.ownerB,
    superuser: people.admin,
  };
  const requests = new Map<Persona, APIRequestContext>();
  requests.set("anonymous", await playwright.request.newContext({ baseURL }));
  const pages = new Map<Persona, Page>();
  for (const [persona, account] of Object.entries(accounts) as [Persona, { email: string; password: string }][]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, account);
    requests.set(persona, context.request);
    pages.set(persona, page);
  }
  // The superuser's own token, made on the tokens page, and one that was never issued.
  const adminPage = pages.get("superuser")!;
  await adminPage.goto("/admin/tokens");
  await adminPage.getByLabel("Token name").fill(uniqueName("matrix-"));
  await adminPage.getByRole("button", { name: "Create token" }).click();
  const superuserToken = (await adminPage.getByTestId("new-token").textContent())!.trim();
  requests.set("superuserToken", await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${superuserToken}` } }));
  requests.set("invalidToken", await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: "Bearer lk_never_issued_0000000000000000" } }));

  const failures: string[] = [];
  for (const [key, entries] of Object.entries(ACCESS_MATRIX)) {
    for (const kind of ["page", "route"] as const) {
      const entry = entries[kind];
      if (!entry) continue;
      const url = entry.url(samples);
      for (const persona of PERSONAS) {
        const method = entry.method ?? "GET";
        const response = await requests.get(persona)!.fetch(url, { method, maxRedirects: 0, ...(method === "GET" ? {} : { data: {} }) });
        const got = outcome(response);
        const want = expected(entry, persona, kind);
        if (!want.includes(got)) failures.push(`${persona} ${kind} ${key} (${url}): ${got} (${response.status()}), expected ${want.join(" or ")}`);
        if (!ALLOWED[entry.rule].includes(persona)) {
          const body = await response.text();
          // A refusal carries no data: not the core's address, a member's address or a held subject.
          for (const secret of [core.restUrl, people.member.email, subject]) {
            if (persona === "member" && secret === people.member.email) continue;
            if (body.includes(secret)) failures.push(`${persona} ${kind} ${key}: the refusal contains ${secret}`);
          }
        }
      }
    }
  }
  expect(failures).toEqual([]);
});
