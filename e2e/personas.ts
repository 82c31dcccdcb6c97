import type { APIRequest, APIRequestContext, Browser, BrowserContext, Page } from "@playwright/test";
import { MailmanClient } from "../lib/mailman";
import { allHeld, injectMessage } from "../lib/mailman/held";
import { ACCESS_MATRIX, type Persona, type Rule, type Samples } from "./access-matrix";
import { core, expect, people, seeded, signIn, uniqueName } from "./fixtures";

/** The access matrix's personas, shared by its specs (e2e/access-matrix.spec.ts, e2e/action-access.exclusive.spec.ts). */

export const coreClient = () => new MailmanClient({ baseUrl: core.restUrl, user: core.user, password: core.password });

export interface Personas {
  samples: Samples;
  /** The subject of a message held on list A, which no refusal may show. */
  subject: string;
  requests: Map<Persona, APIRequestContext>;
  /** A signed-in persona's browser context, to copy its session from. */
  contexts: Map<Persona, BrowserContext>;
}

/** List A's real objects, every persona signed in (or holding its token), and a held message on list A. */
export async function setUpPersonas(browser: Browser, playwright: { request: APIRequest }, baseURL: string): Promise<Personas> {
  const listA = seeded.listId("owned");
  const mailman = coreClient();
  const member = await mailman.findMembers({ listId: listA, subscriber: people.member.email, role: "member" }, { count: 1, page: 1 });
  const memberIdA = member.entries[0]?.member_id;
  expect(memberIdA, "the seeded member of list A").toBeTruthy();
  const subject = `Held for the matrix ${uniqueName("s")}`;
  await injectMessage(mailman, listA, [`From: stranger@outside.example`, `To: owned@${seeded.domain}`, `Subject: ${subject}`, `Message-ID: <${uniqueName("m")}@outside.example>`, "", "Hello.", ""].join("\n"));
  await expect.poll(async () => (await allHeld(mailman, listA)).find((h) => h.subject === subject)?.request_id, { timeout: 60_000 }).toBeTruthy();
  const heldIdA = (await allHeld(mailman, listA)).find((h) => h.subject === subject)!.request_id;
  const samples: Samples = { targetId: seeded.targetId, listA, memberIdA: String(memberIdA), heldIdA: Number(heldIdA) };

  const accounts: Record<Exclude<Persona, "anonymous" | "superuserToken" | "scimToken" | "invalidToken">, { email: string; password: string }> = {
    member: people.member,
    moderatorA: people.moderator,
    ownerA: people.owner,
    ownerB: people.ownerB,
    superuser: people.admin,
  };
  const requests = new Map<Persona, APIRequestContext>();
  const contexts = new Map<Persona, BrowserContext>();
  requests.set("anonymous", await playwright.request.newContext({ baseURL }));
  const pages = new Map<Persona, Page>();
  for (const [persona, account] of Object.entries(accounts) as [Persona, { email: string; password: string }][]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, account);
    requests.set(persona, context.request);
    contexts.set(persona, context);
    pages.set(persona, page);
  }
  // The superuser's own API token and a SCIM connector's token, made on their pages, and a token that was never issued.
  const adminPage = pages.get("superuser")!;
  await adminPage.goto("/admin/tokens");
  await adminPage.getByLabel("Token name").fill(uniqueName("matrix-"));
  await adminPage.getByRole("button", { name: "Create token" }).click();
  const superuserToken = (await adminPage.getByTestId("new-token").textContent())!.trim();
  requests.set("superuserToken", await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${superuserToken}` } }));
  await adminPage.goto("/admin/scim");
  await adminPage.getByLabel("Connector name").fill(uniqueName("matrix-idp-"));
  await adminPage.getByRole("button", { name: "Create connector" }).click();
  const scimToken = (await adminPage.getByTestId("new-scim-token").textContent())!.trim();
  expect(scimToken).toMatch(/^lks_/);
  requests.set("scimToken", await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${scimToken}` } }));
  requests.set("invalidToken", await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: "Bearer lk_never_issued_0000000000000000" } }));
  return { samples, subject, requests, contexts };
}

/** A bearer token opens its own API only (an API token the JSON API, a SCIM token SCIM); elsewhere its holder is anonymous. */
export function isAnonymousFor(persona: Persona, rule: Rule): boolean {
  if (persona === "anonymous" || persona === "invalidToken") return true;
  if (persona === "superuserToken") return !rule.startsWith("api");
  if (persona === "scimToken") return rule !== "scimConnector";
  return false;
}

/** No refusal carries data: not the core's address, a member's address (but the member's own) or a held subject. */
export function leaks(body: string, persona: Persona, subject: string): string[] {
  return [core.restUrl, people.member.email, subject].filter((secret) => !(persona === "member" && secret === people.member.email) && body.includes(secret));
}

/**
 * The page a browser would be on when it calls an action: one whose bundle holds it (the one in
 * the action's own folder when there is one), with the samples' objects in its URL.
 */
export function actionPage(workers: string[], key: string, samples: Samples): string {
  const dirs = workers.map((w) => w.replace(/^app\/?/, "").replace(/\/?page$/, "")).filter((d) => ACCESS_MATRIX[d]?.page);
  const own = key.slice("app/".length, key.indexOf("#")).split("/").slice(0, -1).join("/");
  const enclosing = dirs.filter((d) => d === "" || own === d || own.startsWith(`${d}/`)).sort((a, b) => b.length - a.length);
  const dir = enclosing[0] ?? dirs[0];
  if (dir === undefined) throw new Error(`No page of the matrix holds ${key}`);
  return ACCESS_MATRIX[dir]!.page!.url(samples);
}
