import { and, asc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { groupMemberships, groups, people, scimGroups } from "@/db/schema";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { createGroup, deleteGroup, deleteMembership, putMembership, updateGroup } from "@/lib/registry/registry";
import type { Connector } from "./connectors";
import { ScimProblem } from "./errors";
import { listResponse, matches, paging, parseFilter, project, requiredEquals } from "./filter";
import { checkIfMatch, withMeta } from "./mapping";
import { applyPatch } from "./patch";
import { GROUP_SCHEMA, type ScimGroup } from "./schemas";
import type { Written } from "./users";

/**
 * SCIM Groups of one connector: registry groups linked to it (`scim_groups`), `members` their
 * memberships with `member = true`. A member added or removed is the registry's putMembership /
 * deleteMembership, the same change (and the same provisioning jobs) as the JSON API's
 * `PUT/DELETE /groups/{id}/members/{personId}`; a rename is updateGroup, a delete deleteGroup
 * (which empties the bound lists).
 */

const memberIn = z.object({ value: z.string().trim().min(1), display: z.string().optional(), type: z.string().optional() }).loose();
export const scimGroupInput = z
  .object({
    displayName: z.string().trim().min(1, "displayName is required").max(200),
    externalId: z.string().trim().max(200).nullish(),
    members: z.array(memberIn).max(100_000).nullish(),
  })
  .loose();

interface GroupRow {
  id: number;
  name: string;
  externalId: string | null;
  createdAt: Date;
  updatedAt: Date;
  members: { id: number; display: string }[];
}

async function loadGroups(connectorId: number, where: Map<string, string>, options: { ids?: number[]; members: boolean }): Promise<GroupRow[]> {
  const db = await getDb();
  const conds: (SQL | undefined)[] = [eq(scimGroups.connectorId, connectorId), isNull(groups.deletedAt)];
  if (options.ids) conds.push(inArray(groups.id, options.ids));
  const id = where.get("id");
  if (id !== undefined) conds.push(/^\d{1,9}$/.test(id) ? eq(groups.id, Number(id)) : sql`false`);
  const name = where.get("displayname");
  if (name !== undefined) conds.push(sql`lower(${groups.name}) = ${name.toLowerCase()}`);
  const externalId = where.get("externalid");
  if (externalId !== undefined) conds.push(eq(groups.externalId, externalId));
  const rows = await db.select().from(groups).innerJoin(scimGroups, eq(scimGroups.groupId, groups.id)).where(and(...conds)).orderBy(asc(groups.id));
  const ids = rows.map((r) => r.groups.id);
  const members =
    options.members && ids.length > 0
      ? await db
          .select({ groupId: groupMemberships.groupId, id: people.id, display: people.displayName })
          .from(groupMemberships)
          .innerJoin(people, eq(people.id, groupMemberships.personId))
          .where(and(inArray(groupMemberships.groupId, ids), eq(groupMemberships.member, true), isNull(people.deletedAt)))
          .orderBy(asc(people.id))
      : [];
  const byGroup = new Map<number, { id: number; display: string }[]>();
  for (const m of members) {
    const list = byGroup.get(m.groupId) ?? [];
    // A person can hold one group through several sources (manual, API): one SCIM member.
    if (list.at(-1)?.id !== m.id) list.push({ id: m.id, display: m.display });
    byGroup.set(m.groupId, list);
  }
  return rows.map(({ groups: g }) => ({ id: g.id, name: g.name, externalId: g.externalId, createdAt: g.createdAt, updatedAt: g.updatedAt, members: byGroup.get(g.id) ?? [] }));
}

function groupResource(g: GroupRow, base: string): ScimGroup {
  const resource: ScimGroup = {
    schemas: [GROUP_SCHEMA],
    id: String(g.id),
    ...(g.externalId ? { externalId: g.externalId } : {}),
    displayName: g.name,
    members: g.members.map((m) => ({ value: String(m.id), display: m.display, type: "User", $ref: `${base}/Users/${m.id}` })),
  };
  return withMeta(resource, "Group", g.createdAt, g.updatedAt, `${base}/Groups/${g.id}`);
}

async function loadOne(connector: Connector, base: string, id: string) {
  if (!/^\d{1,9}$/.test(id)) throw new NotFoundError(`There is no Group ${id}.`);
  const [g] = await loadGroups(connector.id, new Map(), { ids: [Number(id)], members: true });
  if (!g) throw new NotFoundError(`There is no Group ${id}.`);
  return { group: g, resource: groupResource(g, base) };
}

export async function getGroupResource(connector: Connector, base: string, id: string, url?: URL) {
  const { resource } = await loadOne(connector, base, id);
  return url ? project(resource, url) : resource;
}

export async function listGroupResources(connector: Connector, base: string, url: URL) {
  const filter = parseFilter(url.searchParams.get("filter"));
  const excluded = (url.searchParams.get("excludedAttributes") ?? "").toLowerCase().split(",").map((s) => s.trim());
  const found = await loadGroups(connector.id, requiredEquals(filter), { members: !excluded.includes("members") });
  const resources = found.map((g) => groupResource(g, base)).filter((r) => matches(r, filter));
  const page = listResponse(resources, paging(url));
  return { ...page, Resources: page.Resources.map((r) => project(r, url)) };
}

/** Member ids the provider sent, as people of the registry; an unknown one is the provider's error. */
async function memberIds(values: readonly { value: string }[]): Promise<Set<number>> {
  const ids = new Set<number>();
  for (const m of values) {
    if (!/^\d{1,9}$/.test(m.value)) throw new ScimProblem(400, `There is no User ${m.value}.`, "invalidValue");
    ids.add(Number(m.value));
  }
  if (ids.size === 0) return ids;
  const db = await getDb();
  const found = await db
    .select({ id: people.id })
    .from(people)
    .where(and(inArray(people.id, [...ids]), isNull(people.deletedAt)));
  const known = new Set(found.map((f) => f.id));
  const missing = [...ids].find((id) => !known.has(id));
  if (missing !== undefined) throw new ScimProblem(400, `There is no User ${missing}.`, "invalidValue");
  return ids;
}

/** Members to add, then to remove, one registry change each (each queues its own jobs). */
async function applyMembers(groupId: number, before: ReadonlySet<number>, after: ReadonlySet<number>): Promise<number[]> {
  const jobIds: number[] = [];
  for (const id of after) if (!before.has(id)) jobIds.push(...(await putMembership(groupId, id, { member: true, owner: false })).jobIds);
  for (const id of before) if (!after.has(id)) jobIds.push(...(await deleteMembership(groupId, id)).jobIds);
  return jobIds;
}

export async function createGroupResource(connector: Connector, base: string, body: unknown): Promise<Written<ScimGroup>> {
  const input = scimGroupInput.parse(body);
  const members = await memberIds(input.members ?? []);
  const { value } = await createGroup({ name: input.displayName, description: "", status: "active", externalId: input.externalId || null }).catch((error: unknown) => {
    if (error instanceof ConflictError) throw new ScimProblem(409, `A Group named "${input.displayName}" (or with that externalId) exists.`, "uniqueness");
    throw error;
  });
  const db = await getDb();
  await db.insert(scimGroups).values({ groupId: value.id, connectorId: connector.id });
  const jobIds = await applyMembers(value.id, new Set(), members);
  return { resource: (await loadOne(connector, base, String(value.id))).resource, jobIds };
}

async function write(connector: Connector, base: string, current: Awaited<ReturnType<typeof loadOne>>, next: unknown): Promise<Written<ScimGroup>> {
  const input = scimGroupInput.parse(next);
  const { group } = current;
  const jobIds: number[] = [];
  const externalId = input.externalId || null;
  if (input.displayName !== group.name || externalId !== group.externalId) {
    await updateGroup(group.id, { name: input.displayName, externalId }).catch((error: unknown) => {
      if (error instanceof ConflictError) throw new ScimProblem(409, `A Group named "${input.displayName}" (or with that externalId) exists.`, "uniqueness");
      throw error;
    });
  }
  if (input.members !== undefined && input.members !== null) {
    jobIds.push(...(await applyMembers(group.id, new Set(group.members.map((m) => m.id)), await memberIds(input.members))));
  } else if (input.members === null || (next as Record<string, unknown>).members === undefined) {
    // A PUT without members, or a PATCH that removed them all: the group is emptied.
    jobIds.push(...(await applyMembers(group.id, new Set(group.members.map((m) => m.id)), new Set())));
  }
  return { resource: (await loadOne(connector, base, String(group.id))).resource, jobIds };
}

export async function replaceGroupResource(connector: Connector, base: string, id: string, body: unknown, ifMatch: string | null) {
  const current = await loadOne(connector, base, id);
  checkIfMatch(ifMatch, current.resource.meta!.version);
  return write(connector, base, current, body);
}

export async function patchGroupResource(connector: Connector, base: string, id: string, body: unknown, ifMatch: string | null) {
  const current = await loadOne(connector, base, id);
  checkIfMatch(ifMatch, current.resource.meta!.version);
  const patched = applyPatch(current.resource, body) as ScimGroup;
  return write(connector, base, current, { ...patched, members: patched.members ?? [] });
}

export async function removeGroupResource(connector: Connector, base: string, id: string, ifMatch: string | null): Promise<{ jobIds: number[] }> {
  const current = await loadOne(connector, base, id);
  checkIfMatch(ifMatch, current.resource.meta!.version);
  return { jobIds: (await deleteGroup(current.group.id)).jobIds };
}
