/**
 * Who may open or call what: every page, route handler and server action under app/, with the
 * rule that decides it (issue 12 part 2). e2e/access-matrix.spec.ts checks that these tables and
 * the file tree (and, for actions, the production build) agree, so a new page, route or action
 * without an entry fails, and then asserts each rule for every persona against the running
 * production build.
 */

export const PERSONAS = ["anonymous", "member", "moderatorA", "ownerA", "ownerB", "superuser", "superuserToken", "scimToken", "invalidToken"] as const;
export type Persona = (typeof PERSONAS)[number];

/**
 * - public: anyone, signed in or not.
 * - signedIn: any account; anonymous visitors are sent to sign in (pages) or get 401 (routes).
 * - viewA: anyone signed in who may see list A (it is advertised: every account).
 * - moderateA / administerA: list A's moderators (moderate only), owners and superusers.
 * - superuser: Listkeeper superusers only.
 * - coreOnly: the Mailman core with the server's own credentials; no browser session is enough.
 * - refusal: a page that only ever refuses (where route handlers send refused browser navigations).
 * - ownMembershipA: the member whose subscription to list A it is, no one else.
 * - rosterA: who list A's member_roster_visibility ("moderators", the default) admits, and superusers.
 * - apiSuperuser / apiSignedIn: the JSON API, by session or by bearer token (a token acts with its
 *   creator's rights); pages ignore tokens.
 * - scimConnector: SCIM 2.0, only with a SCIM connector's own token (the scimToken persona); no
 *   session and no API token is enough. A SCIM token opens nothing else.
 */
export type Rule =
  | "public"
  | "signedIn"
  | "viewA"
  | "moderateA"
  | "administerA"
  | "superuser"
  | "coreOnly"
  | "refusal"
  | "ownMembershipA"
  | "rosterA"
  | "apiSuperuser"
  | "apiSignedIn"
  | "scimConnector";

export const ALLOWED: Record<Rule, readonly Persona[]> = {
  public: PERSONAS,
  signedIn: ["member", "moderatorA", "ownerA", "ownerB", "superuser"],
  viewA: ["member", "moderatorA", "ownerA", "ownerB", "superuser"],
  moderateA: ["moderatorA", "ownerA", "superuser"],
  administerA: ["ownerA", "superuser"],
  superuser: ["superuser"],
  coreOnly: [],
  refusal: [],
  ownMembershipA: ["member"],
  rosterA: ["moderatorA", "ownerA", "superuser"],
  apiSuperuser: ["superuser", "superuserToken"],
  apiSignedIn: ["member", "moderatorA", "ownerA", "ownerB", "superuser", "superuserToken"],
  scimConnector: ["scimToken"],
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
  /** Default GET. Other methods are sent with an empty JSON object: the allowed get 404 or 422. */
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
}

const NONE = 999_999_999;
const api = (rule: "apiSuperuser" | "apiSignedIn", path: string, method: Entry["method"] = "GET", missingObject = false): { route: Entry } => ({
  route: { rule, url: () => `/api/v1${path}`, method, missingObject },
});

const scim = (path: string, method: Entry["method"] = "GET", missingObject = false): { route: Entry } => ({
  route: { rule: "scimConnector", url: () => `/scim/v2${path}`, method, missingObject },
});

const list = (s: Samples, sub = "") => `/lists/${s.targetId}/${encodeURIComponent(s.listA)}${sub}`;

/** Keyed by the file's path under app/, without the file name. */
export const ACCESS_MATRIX: Record<string, { page?: Entry; route?: Entry }> = {
  // Only a redirect to /lists, which decides.
  "": { page: { rule: "public", url: () => "/" } },
  login: { page: { rule: "public", url: () => "/login" } },
  "refused/[kind]": { page: { rule: "refusal", url: () => "/refused/forbidden" } },
  signup: { page: { rule: "public", url: () => "/signup" } },
  "verify-email": { page: { rule: "public", url: () => "/verify-email?token=not-a-token" } },
  "forgot-password": { page: { rule: "public", url: () => "/forgot-password" } },
  "reset-password": { page: { rule: "public", url: () => "/reset-password?token=not-a-token" } },
  "confirm/[targetId]": { page: { rule: "public", url: (s) => `/confirm/${s.targetId}?list=${encodeURIComponent(s.listA)}&token=not-a-token` } },
  "subscribe/[targetId]/[listId]": { page: { rule: "public", url: (s) => `/subscribe/${s.targetId}/${encodeURIComponent(s.listA)}` } },
  account: { page: { rule: "signedIn", url: () => "/account" } },
  "account/addresses": { page: { rule: "signedIn", url: () => "/account/addresses" } },
  me: { page: { rule: "signedIn", url: () => "/me" } },
  "me/[targetId]/[memberId]": { page: { rule: "ownMembershipA", url: (s) => `/me/${s.targetId}/${s.memberIdA}` } },
  "me/roster/[targetId]/[listId]": { page: { rule: "rosterA", url: (s) => `/me/roster/${s.targetId}/${encodeURIComponent(s.listA)}` } },
  "admin/tokens": { page: { rule: "superuser", url: () => "/admin/tokens" } },
  "admin/scim": { page: { rule: "superuser", url: () => "/admin/scim" } },
  "scim/v2/Users": scim("/Users"),
  "scim/v2/Users/[id]": scim(`/Users/${NONE}`, "GET", true),
  "scim/v2/Groups": scim("/Groups", "POST"),
  "scim/v2/Groups/[id]": scim(`/Groups/${NONE}`, "PATCH", true),
  "scim/v2/ServiceProviderConfig": scim("/ServiceProviderConfig"),
  "scim/v2/ResourceTypes": scim("/ResourceTypes"),
  "scim/v2/ResourceTypes/[id]": scim("/ResourceTypes/User"),
  "scim/v2/Schemas": scim("/Schemas"),
  "scim/v2/Schemas/[id]": scim("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User"),
  "api/v1/conflicts": api("apiSuperuser", "/conflicts"),
  "api/v1/conflicts/[id]/resolve": api("apiSuperuser", `/conflicts/${NONE}/resolve`, "POST", true),
  "api/v1/email-lists": api("apiSuperuser", "/email-lists"),
  "api/v1/email-lists/[id]": api("apiSuperuser", `/email-lists/${NONE}`, "GET", true),
  "api/v1/email-lists/[id]/init": api("apiSuperuser", `/email-lists/${NONE}/init`, "POST", true),
  "api/v1/email-lists/[id]/preferences": api("apiSuperuser", `/email-lists/${NONE}/preferences`, "GET", true),
  "api/v1/email-lists/[id]/preferences/[personId]": api("apiSignedIn", `/email-lists/${NONE}/preferences/${NONE}`, "PUT", true),
  "api/v1/email-lists/[id]/provision": api("apiSuperuser", `/email-lists/${NONE}/provision`, "POST", true),
  "api/v1/events": api("apiSuperuser", "/events"),
  "api/v1/groups": api("apiSuperuser", "/groups"),
  "api/v1/groups/[id]": api("apiSuperuser", `/groups/${NONE}`, "GET", true),
  "api/v1/groups/[id]/members": api("apiSuperuser", `/groups/${NONE}/members`, "GET", true),
  "api/v1/groups/[id]/members/[personId]": api("apiSuperuser", `/groups/${NONE}/members/${NONE}`, "DELETE", true),
  "api/v1/jobs": api("apiSuperuser", "/jobs"),
  "api/v1/jobs/[id]": api("apiSuperuser", `/jobs/${NONE}`, "GET", true),
  "api/v1/me/list-preferences": api("apiSignedIn", "/me/list-preferences"),
  "api/v1/me/list-preferences/[emailListId]": api("apiSignedIn", `/me/list-preferences/${NONE}`, "PUT", true),
  "api/v1/people": api("apiSuperuser", "/people"),
  "api/v1/people/[id]": api("apiSuperuser", `/people/${NONE}`, "GET", true),
  "api/v1/people/[id]/emails": api("apiSuperuser", `/people/${NONE}/emails`, "POST", true),
  "api/v1/people/[id]/emails/[emailId]": api("apiSuperuser", `/people/${NONE}/emails/${NONE}`, "DELETE", true),
  "api/v1/people/[id]/provision": api("apiSuperuser", `/people/${NONE}/provision`, "POST", true),
  "api/v1/people/[id]/provisioning": api("apiSuperuser", `/people/${NONE}/provisioning`, "GET", true),
  "api/v1/targets": api("apiSuperuser", "/targets"),
  "api/v1/targets/[id]": api("apiSuperuser", `/targets/${NONE}`, "GET", true),
  "api/v1/targets/[id]/reconcile": api("apiSuperuser", `/targets/${NONE}/reconcile`, "POST", true),
  "api/v1/targets/[id]/repair": api("apiSuperuser", `/targets/${NONE}/repair`, "POST", true),
  "api/v1/targets/[id]/sweep": api("apiSuperuser", `/targets/${NONE}/sweep`, "POST", true),
  "admin/targets/[targetId]/self-service": { page: { rule: "superuser", url: (s) => `/admin/targets/${s.targetId}/self-service` } },
  "admin/targets/[targetId]/sync": { page: { rule: "superuser", url: (s) => `/admin/targets/${s.targetId}/sync` } },
  "admin/targets/[targetId]/sync/jobs/[jobId]": { page: { rule: "superuser", url: (s) => `/admin/targets/${s.targetId}/sync/jobs/${NONE}`, missingObject: true } },
  "admin/targets/[targetId]/sync/people/[personId]": { page: { rule: "superuser", url: (s) => `/admin/targets/${s.targetId}/sync/people/${NONE}`, missingObject: true } },
  "admin/targets/[targetId]/sync/lists/[emailListId]": { page: { rule: "superuser", url: (s) => `/admin/targets/${s.targetId}/sync/lists/${NONE}`, missingObject: true } },
  "admin/conflicts": { page: { rule: "superuser", url: () => "/admin/conflicts" } },
  "account/single-sign-on": { page: { rule: "signedIn", url: () => "/account/single-sign-on" } },
  "admin/audit": { page: { rule: "superuser", url: () => "/admin/audit" } },
  "admin/audit/export": { route: { rule: "superuser", url: () => "/admin/audit/export" } },
  "admin/status": { page: { rule: "superuser", url: () => "/admin/status" } },
  "admin/registry": { page: { rule: "superuser", url: () => "/admin/registry" } },
  "admin/registry/people": { page: { rule: "superuser", url: () => "/admin/registry/people?q=nobody" } },
  "admin/registry/people/[personId]": { page: { rule: "superuser", url: () => "/admin/registry/people/999999999", missingObject: true } },
  "admin/registry/groups": { page: { rule: "superuser", url: () => "/admin/registry/groups" } },
  "admin/registry/groups/[groupId]": { page: { rule: "superuser", url: () => "/admin/registry/groups/999999999", missingObject: true } },
  "admin/registry/email-lists": { page: { rule: "superuser", url: () => "/admin/registry/email-lists" } },
  "admin/registry/email-lists/[emailListId]": { page: { rule: "superuser", url: () => "/admin/registry/email-lists/999999999", missingObject: true } },
  "admin/people": { page: { rule: "superuser", url: () => "/admin/people?q=nobody%40example.org" } },
  "admin/people/jobs/[jobId]": { page: { rule: "superuser", url: () => `/admin/people/jobs/${NONE}`, missingObject: true } },
  "admin/people/jobs/[jobId]/report": { route: { rule: "superuser", url: () => `/admin/people/jobs/${NONE}/report`, missingObject: true } },
  "admin/people/jobs/[jobId]/status": { route: { rule: "superuser", url: () => `/admin/people/jobs/${NONE}/status`, missingObject: true } },
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

/**
 * A server action's entry. The matrix calls it with `input` (default `{}`; list A's reference for
 * actions on a list), which the gate reads and the action's schema refuses: a persona the rule
 * admits gets past the gate and hears about its input (or, for the few actions that need none,
 * gets an answer), and one it does not gets the gate's refusal. Either way nothing changes.
 */
export interface ActionEntry {
  rule: Rule;
  input?: (s: Samples) => unknown;
  /** Answers nothing to anyone: an inline form action that only calls another action (whose rule is checked there). */
  answersNothing?: true;
  /** Ends the caller's session (called on a copy of it). */
  signsOut?: true;
}

const onListA = (rule: "administerA" | "moderateA"): ActionEntry => ({ rule, input: (s) => ({ targetId: s.targetId, listId: s.listA }) });
const signedIn: ActionEntry = { rule: "signedIn" };
const superuser: ActionEntry = { rule: "superuser" };
const open: ActionEntry = { rule: "public" };

/** Keyed `file#export`, as the build names them (`.next/server/server-reference-manifest.json`). */
export const ACTION_MATRIX: Record<string, ActionEntry> = {
  "app/account/actions.ts#addAddressAction": signedIn,
  "app/account/actions.ts#changeDisplayNameAction": signedIn,
  "app/account/actions.ts#changePasswordAction": signedIn,
  "app/account/actions.ts#deleteAccountAction": signedIn,
  "app/account/actions.ts#makePrimaryAction": signedIn,
  "app/account/actions.ts#removeAddressAction": signedIn,
  "app/account/actions.ts#resendVerificationAction": signedIn,
  "app/account/single-sign-on/actions.ts#linkSingleSignOnAction": signedIn,
  "app/account/single-sign-on/page.tsx#$$RSC_SERVER_ACTION_0": { rule: "signedIn", answersNothing: true },
  "app/admin/conflicts/actions.ts#resolveConflictAction": superuser,
  "app/admin/people/actions.ts#previewRemoveEverywhereAction": superuser,
  "app/admin/people/actions.ts#startRemoveEverywhereAction": superuser,
  "app/admin/registry/actions.ts#addMembersAction": superuser,
  "app/admin/registry/actions.ts#createEmailListAction": superuser,
  "app/admin/registry/actions.ts#createGroupAction": superuser,
  "app/admin/registry/actions.ts#createPersonAction": superuser,
  "app/admin/registry/actions.ts#deleteEmailListAction": superuser,
  "app/admin/registry/actions.ts#deleteGroupAction": superuser,
  "app/admin/registry/actions.ts#deletePersonAction": superuser,
  "app/admin/registry/actions.ts#jobStatusAction": superuser,
  "app/admin/registry/actions.ts#planAction": superuser,
  "app/admin/registry/actions.ts#provisionEmailListAction": superuser,
  "app/admin/registry/actions.ts#provisionPersonAction": superuser,
  "app/admin/registry/actions.ts#putMembershipAction": superuser,
  "app/admin/registry/actions.ts#reconcileTargetAction": superuser,
  "app/admin/registry/actions.ts#removeMembershipAction": superuser,
  "app/admin/registry/actions.ts#updateEmailListAction": superuser,
  "app/admin/registry/actions.ts#updateGroupAction": superuser,
  "app/admin/registry/actions.ts#updatePersonAction": superuser,
  "app/admin/scim/actions.ts#createConnectorAction": superuser,
  "app/admin/scim/actions.ts#revokeConnectorAction": superuser,
  "app/admin/scim/actions.ts#updateMappingAction": superuser,
  "app/admin/targets/[targetId]/bans/actions.ts#addGlobalBanAction": superuser,
  "app/admin/targets/[targetId]/bans/actions.ts#removeGlobalBanAction": superuser,
  "app/admin/targets/[targetId]/domains/actions.ts#createDomainAction": superuser,
  "app/admin/targets/[targetId]/domains/actions.ts#deleteDomainAction": superuser,
  "app/admin/targets/[targetId]/domains/actions.ts#domainDeletionPreviewAction": superuser,
  "app/admin/targets/[targetId]/domains/actions.ts#updateDomainAction": superuser,
  "app/admin/targets/[targetId]/self-service/actions.ts#publishConfirmationAction": superuser,
  "app/admin/targets/[targetId]/sync/actions.ts#applyInitAction": superuser,
  "app/admin/targets/[targetId]/sync/actions.ts#jobStatusAction": superuser,
  "app/admin/targets/[targetId]/sync/actions.ts#liveJobsAction": superuser,
  "app/admin/targets/[targetId]/sync/actions.ts#previewInitAction": superuser,
  "app/admin/targets/[targetId]/sync/actions.ts#retryNowAction": superuser,
  "app/admin/targets/[targetId]/sync/actions.ts#runQueuedNowAction": superuser,
  "app/admin/targets/[targetId]/templates/actions.ts#publishLevelTemplateAction": superuser,
  "app/admin/targets/[targetId]/templates/actions.ts#resetLevelTemplateAction": superuser,
  "app/admin/targets/[targetId]/templates/actions.ts#restoreLevelTemplateAction": superuser,
  "app/admin/targets/[targetId]/templates/actions.ts#saveLevelTemplateAction": superuser,
  "app/admin/targets/actions.ts#createTargetAction": superuser,
  "app/admin/targets/actions.ts#deleteTargetAction": superuser,
  "app/admin/targets/actions.ts#testConnectionAction": superuser,
  "app/admin/targets/actions.ts#updateTargetAction": superuser,
  "app/admin/tokens/actions.ts#createTokenAction": superuser,
  "app/admin/tokens/actions.ts#revokeTokenAction": superuser,
  "app/lists/[targetId]/[listId]/bans/actions.ts#addListBanAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/bans/actions.ts#removeListBanAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/config/actions.ts#applyCopyAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/config/actions.ts#applyImportAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/config/actions.ts#previewCopyAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/config/actions.ts#previewImportAction": onListA("administerA"),
  // Also the owners recorded when the list was disabled (list A is not disabled).
  "app/lists/[targetId]/[listId]/disable/actions.ts#disableListAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/disable/actions.ts#enableListAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/disable/actions.ts#previewDisableAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/header-filters/actions.ts#addRuleAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/header-filters/actions.ts#deleteRuleAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/header-filters/actions.ts#moveRuleAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/header-filters/actions.ts#updateRuleAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/held/actions.ts#acceptAndAlwaysAcceptAction": onListA("moderateA"),
  "app/lists/[targetId]/[listId]/held/actions.ts#discardAndBanAction": onListA("moderateA"),
  "app/lists/[targetId]/[listId]/held/actions.ts#moderateHeldAction": onListA("moderateA"),
  "app/lists/[targetId]/[listId]/members/actions.ts#addStaffAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/members/actions.ts#changeAddressAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/members/actions.ts#removeStaffAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/members/actions.ts#unsubscribeAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/members/actions.ts#updateModerationAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/members/actions.ts#updatePreferencesAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/members/bulk-actions.ts#cancelBulkJobAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/members/bulk-actions.ts#preflightRemoveAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/members/bulk-actions.ts#preflightSubscribeAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/members/bulk-actions.ts#startMassRemoveAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/members/bulk-actions.ts#startMassSubscribeAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/members/bulk-actions.ts#startRemoveAllAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/members/jobs/[jobId]/import-roles-actions.ts#applyImportRolesAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/requests/actions.ts#moderateRequestsAction": onListA("moderateA"),
  "app/lists/[targetId]/[listId]/settings/actions.ts#digestAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/settings/actions.ts#moderatorPasswordAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/settings/actions.ts#saveSettingsAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/templates/actions.ts#publishListTemplateAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/templates/actions.ts#resetListTemplateAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/templates/actions.ts#restoreListTemplateAction": onListA("administerA"),
  "app/lists/[targetId]/[listId]/templates/actions.ts#saveListTemplateAction": onListA("administerA"),
  "app/lists/actions.ts#createListAction": superuser,
  "app/lists/actions.ts#deleteListAction": onListA("administerA"),
  "app/login/actions.ts#signInAction": open,
  "app/login/actions.ts#signInWithOidc": open,
  "app/login/actions.ts#signOutAction": { rule: "public", signsOut: true },
  "app/me/[targetId]/[memberId]/actions.ts#savePreferenceAction": signedIn,
  "app/me/[targetId]/[memberId]/actions.ts#switchAddressAction": signedIn,
  "app/me/actions.ts#cancelConfirmationAction": signedIn,
  "app/me/actions.ts#cancelRequestAction": signedIn,
  "app/me/actions.ts#myListsAction": signedIn,
  "app/me/actions.ts#resendConfirmationAction": signedIn,
  "app/me/actions.ts#selfServiceListsAction": signedIn,
  "app/me/actions.ts#selfServiceToggleAction": signedIn,
  "app/me/actions.ts#subscribeAction": signedIn,
  "app/me/actions.ts#unsubscribeAction": signedIn,
  // The gate admits anyone signed in; the roster's visibility is decided inside (lib/self-service/member-roster.ts).
  "app/me/roster/[targetId]/[listId]/actions.ts#revealAddressAction": signedIn,
  "app/signup/actions.ts#confirmAddressAction": open,
  "app/signup/actions.ts#requestResetAction": open,
  "app/signup/actions.ts#resetPasswordAction": open,
  "app/signup/actions.ts#signUpAction": open,
  "app/subscribe/[targetId]/[listId]/actions.ts#anonymousSubscribeAction": open,
  "app/subscribe/[targetId]/[listId]/actions.ts#confirmSubscriptionAction": open,
};

/** What a refused server action answers (the gate's messages in lib/actions/safe-action.ts and lib/auth/). */
export const ACTION_REFUSALS = {
  signIn: ["Please sign in again."],
  other: [
    "Only Listkeeper superusers may do that.",
    "Only the list's owners may do that.",
    "Only the list's owners and moderators may do that.",
    "That list does not exist on this server (it may have been deleted).",
  ],
};
