/**
 * Who may open what: every page and route handler under app/, with the rule that decides it
 * (issue 12 part 2). e2e/access-matrix.spec.ts checks that this table and the file tree agree,
 * so a new page or route without an entry fails, and then asserts each rule for every persona
 * against the running production build.
 */

export const PERSONAS = ["anonymous", "member", "moderatorA", "ownerA", "ownerB", "superuser"] as const;
export type Persona = (typeof PERSONAS)[number];

/**
 * - public: anyone, signed in or not.
 * - signedIn: any account; anonymous visitors are sent to sign in (pages) or get 401 (routes).
 * - viewA: anyone signed in who may see list A (it is advertised: every account).
 * - moderateA / administerA: list A's moderators (moderate only), owners and superusers.
 * - superuser: Listkeeper superusers only.
 * - coreOnly: the Mailman core with the server's own credentials; no browser session is enough.
 */
export type Rule = "public" | "signedIn" | "viewA" | "moderateA" | "administerA" | "superuser" | "coreOnly";

export const ALLOWED: Record<Rule, readonly Persona[]> = {
  public: PERSONAS,
  signedIn: ["member", "moderatorA", "ownerA", "ownerB", "superuser"],
  viewA: ["member", "moderatorA", "ownerA", "ownerB", "superuser"],
  moderateA: ["moderatorA", "ownerA", "superuser"],
  administerA: ["ownerA", "superuser"],
  superuser: ["superuser"],
  coreOnly: [],
};

export interface Samples {
  targetId: number;
  listA: string;
  memberIdA: string;
  heldIdA: number;
}

export interface Entry {
  rule: Rule;
  /** The URL to request, with real objects of list A where the route needs one. */
  url: (s: Samples) => string;
  /** The allowed may see "not found" here (the sample object does not exist). */
  missingObject?: boolean;
}

const list = (s: Samples, sub = "") => `/lists/${s.targetId}/${encodeURIComponent(s.listA)}${sub}`;

/** Keyed by the file's path under app/, without the file name. */
export const ACCESS_MATRIX: Record<string, { page?: Entry; route?: Entry }> = {
  // Only a redirect to /lists, which decides.
  "": { page: { rule: "public", url: () => "/" } },
  login: { page: { rule: "public", url: () => "/login" } },
  "account/single-sign-on": { page: { rule: "signedIn", url: () => "/account/single-sign-on" } },
  "admin/audit": { page: { rule: "superuser", url: () => "/admin/audit" } },
  "admin/audit/export": { route: { rule: "superuser", url: () => "/admin/audit/export" } },
  "admin/people": { page: { rule: "superuser", url: () => "/admin/people?q=nobody%40example.org" } },
  "admin/targets": { page: { rule: "superuser", url: () => "/admin/targets" } },
  "admin/targets/new": { page: { rule: "superuser", url: () => "/admin/targets/new" } },
  "admin/targets/[targetId]": { page: { rule: "superuser", url: (s) => `/admin/targets/${s.targetId}` } },
  "admin/targets/[targetId]/bans": { page: { rule: "superuser", url: (s) => `/admin/targets/${s.targetId}/bans` } },
  "admin/targets/[targetId]/domains": { page: { rule: "superuser", url: (s) => `/admin/targets/${s.targetId}/domains` } },
  "admin/targets/[targetId]/templates": { page: { rule: "superuser", url: (s) => `/admin/targets/${s.targetId}/templates` } },
  "api/auth/[...nextauth]": { route: { rule: "public", url: () => "/api/auth/csrf" } },
  "api/health": { route: { rule: "public", url: () => "/api/health" } },
  "api/ready": { route: { rule: "public", url: () => "/api/ready" } },
  "api/lists": { route: { rule: "signedIn", url: () => "/api/lists" } },
  "api/targets/[targetId]/list-options": { route: { rule: "superuser", url: (s) => `/api/targets/${s.targetId}/list-options` } },
  "api/templates/[targetId]/[scope]/[scopeId]/[name]": {
    route: { rule: "coreOnly", url: (s) => `/api/templates/${s.targetId}/list/${encodeURIComponent(s.listA)}/list:member:regular:footer` },
  },
  lists: { page: { rule: "signedIn", url: () => "/lists" } },
  "lists/new": { page: { rule: "superuser", url: () => "/lists/new" } },
  "lists/[targetId]/[listId]": { page: { rule: "viewA", url: (s) => list(s) } },
  "lists/[targetId]/[listId]/activity": { page: { rule: "administerA", url: (s) => list(s, "/activity") } },
  "lists/[targetId]/[listId]/activity/export": { route: { rule: "administerA", url: (s) => list(s, "/activity/export") } },
  "lists/[targetId]/[listId]/badges": { route: { rule: "moderateA", url: (s) => list(s, "/badges") } },
  "lists/[targetId]/[listId]/bans": { page: { rule: "administerA", url: (s) => list(s, "/bans") } },
  "lists/[targetId]/[listId]/config": { page: { rule: "administerA", url: (s) => list(s, "/config") } },
  "lists/[targetId]/[listId]/config/export": { route: { rule: "administerA", url: (s) => list(s, "/config/export") } },
  "lists/[targetId]/[listId]/disable": { page: { rule: "administerA", url: (s) => list(s, "/disable") } },
  "lists/[targetId]/[listId]/header-filters": { page: { rule: "administerA", url: (s) => list(s, "/header-filters") } },
  "lists/[targetId]/[listId]/held": { page: { rule: "moderateA", url: (s) => list(s, "/held") } },
  "lists/[targetId]/[listId]/held/[requestId]": { page: { rule: "moderateA", url: (s) => list(s, `/held/${s.heldIdA}`) } },
  "lists/[targetId]/[listId]/held/[requestId]/attachments/[index]": {
    route: { rule: "moderateA", url: (s) => list(s, `/held/${s.heldIdA}/attachments/1`), missingObject: true },
  },
  "lists/[targetId]/[listId]/members": { page: { rule: "administerA", url: (s) => list(s, "/members") } },
  "lists/[targetId]/[listId]/members/[memberId]": { page: { rule: "administerA", url: (s) => list(s, `/members/${s.memberIdA}`) } },
  "lists/[targetId]/[listId]/members/export": { route: { rule: "administerA", url: (s) => list(s, "/members/export") } },
  "lists/[targetId]/[listId]/members/jobs/[jobId]": { page: { rule: "administerA", url: (s) => list(s, "/members/jobs/999999999"), missingObject: true } },
  "lists/[targetId]/[listId]/members/jobs/[jobId]/report": { route: { rule: "administerA", url: (s) => list(s, "/members/jobs/999999999/report"), missingObject: true } },
  "lists/[targetId]/[listId]/members/jobs/[jobId]/status": { route: { rule: "administerA", url: (s) => list(s, "/members/jobs/999999999/status"), missingObject: true } },
  "lists/[targetId]/[listId]/members/remove": { page: { rule: "administerA", url: (s) => list(s, "/members/remove") } },
  "lists/[targetId]/[listId]/members/subscribe": { page: { rule: "administerA", url: (s) => list(s, "/members/subscribe") } },
  "lists/[targetId]/[listId]/requests": { page: { rule: "moderateA", url: (s) => list(s, "/requests") } },
  "lists/[targetId]/[listId]/settings": { page: { rule: "administerA", url: (s) => list(s, "/settings") } },
  "lists/[targetId]/[listId]/settings/[section]": { page: { rule: "administerA", url: (s) => list(s, "/settings/identity") } },
  "lists/[targetId]/[listId]/templates": { page: { rule: "administerA", url: (s) => list(s, "/templates") } },
};
