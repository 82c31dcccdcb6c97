import { createHash } from "node:crypto";
import { z } from "zod";
import type { PersonUpdateInput } from "@/lib/registry/inputs";
import { ScimProblem } from "./errors";
import { USER_SCHEMA, type ScimEmail, type ScimUser } from "./schemas";

/**
 * SCIM User ↔ registry person (provisioning.md §6 "Mapping onto the engine"), pure. `active`
 * false is status suspended (unsubscribed from managed lists, the Mailman user kept); emails map
 * through the connector's type map, and `primary: true` becomes the registry type `preferred`
 * so the §2.4 ranking picks it unless a list or delivery address exists.
 */

export const PRIMARY_ADDRESS_TYPE = "preferred";

/** Entra sends `active` as the string "False"/"True" in PATCH values. */
export function parseActive(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  throw new ScimProblem(400, `"active" must be true or false, not ${JSON.stringify(value)}.`, "invalidValue");
}

const scimString = (max: number) => z.string().trim().max(max);
const emailIn = z.object({ value: z.string().trim().min(1), type: z.string().optional(), primary: z.union([z.boolean(), z.string()]).optional(), display: z.string().optional() }).loose();

/** What a provider may send as a User (unknown attributes and extensions are accepted and ignored). */
export const scimUserInput = z
  .object({
    userName: scimString(254).min(1, "userName is required"),
    externalId: scimString(200).nullish(),
    displayName: scimString(200).nullish(),
    name: z.object({ givenName: scimString(200).nullish(), familyName: scimString(200).nullish(), formatted: scimString(400).nullish() }).loose().nullish(),
    emails: z.array(emailIn).max(50).nullish(),
    active: z.unknown().optional(),
  })
  .loose();
export type ScimUserInput = z.infer<typeof scimUserInput>;

const isTrue = (v: unknown) => v === true || (typeof v === "string" && v.toLowerCase() === "true");

/** The registry address type of a SCIM email: primary → preferred, else the connector's map. */
export function registryType(email: { type?: string; primary?: unknown }, map: Record<string, string>): string {
  if (isTrue(email.primary)) return PRIMARY_ADDRESS_TYPE;
  const type = (email.type ?? "other").toLowerCase();
  return map[type] ?? map.other ?? "personal";
}

/** The SCIM type of a registry address: the first SCIM type mapped to it, else "other". */
export function scimType(registry: string, map: Record<string, string>): string {
  if (registry === PRIMARY_ADDRESS_TYPE) return Object.keys(map).find((k) => map[k] === "official") ?? "work";
  return Object.keys(map).find((k) => map[k] === registry) ?? "other";
}

export function displayNameOf(input: ScimUserInput): string {
  const n = input.name;
  return (input.displayName || n?.formatted || [n?.givenName, n?.familyName].filter(Boolean).join(" ") || input.userName).trim();
}

/**
 * The registry person for a SCIM User: the full state (a PUT, or a PATCH's result). Addresses
 * already on the person (same address, any case) keep their id, so the registry's replace keeps
 * them (api-v1.md PATCH `emails`); SCIM addresses come from the provider and count as verified.
 */
export function personFromUser(input: ScimUserInput, map: Record<string, string>, existing: readonly { id: number; address: string }[] = []): Required<Omit<PersonUpdateInput, "emails">> & { emails: NonNullable<PersonUpdateInput["emails"]> } {
  const seen = new Set<string>();
  const emails: NonNullable<PersonUpdateInput["emails"]> = [];
  for (const e of input.emails ?? []) {
    const key = e.value.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const id = existing.find((x) => x.address.toLowerCase() === key)?.id;
    emails.push({ ...(id ? { id } : {}), address: e.value, type: registryType(e, map), verified: true });
  }
  // A provider that marks two addresses primary: the first one wins.
  let primarySeen = false;
  for (const e of emails) {
    if (e.type !== PRIMARY_ADDRESS_TYPE) continue;
    if (primarySeen) e.type = map.other ?? "personal";
    primarySeen = true;
  }
  const active = parseActive(input.active);
  return {
    displayName: displayNameOf(input),
    givenName: input.name?.givenName ?? "",
    familyName: input.name?.familyName ?? "",
    status: active === false ? "suspended" : "active",
    externalId: input.externalId || null,
    emails,
  };
}

export interface PersonForScim {
  id: number;
  displayName: string;
  givenName: string;
  familyName: string;
  status: string;
  externalId: string | null;
  emails: { id: number; address: string; type: string }[];
  userName: string;
  createdAt: Date;
  updatedAt: Date;
  groups: { id: number; name: string }[];
}

/** Whether writing `wanted` would change the person (Entra re-sends what it already sent). */
export function personDiffers(p: PersonForScim, wanted: ReturnType<typeof personFromUser>): boolean {
  const status = wanted.status === "active" && ACTIVE.has(p.status) ? p.status : wanted.status;
  if (p.displayName !== wanted.displayName || p.givenName !== wanted.givenName || p.familyName !== wanted.familyName) return true;
  if (p.externalId !== wanted.externalId || p.status !== status) return true;
  const key = (e: { id?: number; address: string; type: string }) => `${e.id ?? "new"} ${e.address} ${e.type}`;
  return JSON.stringify(p.emails.map(key)) !== JSON.stringify(wanted.emails.map(key));
}

/** Statuses that count as `active: true`. */
const ACTIVE = new Set(["active", "grace_period"]);

export function userFromPerson(p: PersonForScim, map: Record<string, string>, base: string): ScimUser & { meta: NonNullable<ScimUser["meta"]> } {
  const emails: ScimEmail[] = p.emails.map((e) => ({ value: e.address, type: scimType(e.type, map), ...(e.type === PRIMARY_ADDRESS_TYPE ? { primary: true } : {}) }));
  const resource: ScimUser = {
    schemas: [USER_SCHEMA],
    id: String(p.id),
    ...(p.externalId ? { externalId: p.externalId } : {}),
    userName: p.userName,
    name: { givenName: p.givenName, familyName: p.familyName, formatted: p.displayName },
    displayName: p.displayName,
    emails,
    active: ACTIVE.has(p.status),
    groups: p.groups.map((g) => ({ value: String(g.id), display: g.name, $ref: `${base}/Groups/${g.id}` })),
  };
  return withMeta(resource, "User", p.createdAt, p.updatedAt, `${base}/Users/${p.id}`);
}

/** meta with `version` a weak ETag of the resource's content: any change of what SCIM shows changes it. */
export function withMeta<T extends { id: string }>(resource: T, resourceType: "User" | "Group", created: Date, lastModified: Date, location: string): T & { meta: NonNullable<ScimUser["meta"]> } {
  const version = `W/"${createHash("sha256").update(JSON.stringify(resource)).digest("base64url").slice(0, 20)}"`;
  return { ...resource, meta: { resourceType, created: created.toISOString(), lastModified: lastModified.toISOString(), location, version } };
}

/** `If-Match` (RFC 7644 §3.14): absent or `*` passes; otherwise one of its tags must be the version. */
export function checkIfMatch(header: string | null, version: string): void {
  if (!header || header.trim() === "*") return;
  const tags = header.split(",").map((t) => t.trim().replace(/^W\//, ""));
  if (!tags.includes(version.replace(/^W\//, ""))) throw new ScimProblem(412, "The resource changed since it was read (If-Match does not match its version).");
}
