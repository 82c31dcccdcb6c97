import { and, asc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { isUniqueViolation } from "@/db/unique-violation";
import { emailAddresses, groupMemberships, groups, people, scimUsers } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { createPerson, deletePerson, updatePerson } from "@/lib/registry/registry";
import type { Connector } from "./connectors";
import { ScimProblem } from "./errors";
import { listResponse, matches, paging, parseFilter, project, requiredEquals } from "./filter";
import { checkIfMatch, personDiffers, personFromUser, scimUserInput, userFromPerson, type PersonForScim } from "./mapping";
import { applyPatch } from "./patch";
import type { ScimUser } from "./schemas";

/**
 * SCIM Users of one connector: registry people linked to it (`scim_users`). Every write is the
 * registry's own change (lib/registry: createPerson, updatePerson, deletePerson), so it queues
 * exactly the provisioning jobs the JSON API's call would, and answers before they run.
 */

export interface Written<T> {
  resource: T;
  jobIds: number[];
}

async function loadPeople(connectorId: number, where: Map<string, string>, ids?: number[]): Promise<PersonForScim[]> {
  const db = await getDb();
  const conds: (SQL | undefined)[] = [eq(scimUsers.connectorId, connectorId), isNull(people.deletedAt)];
  if (ids) conds.push(inArray(people.id, ids));
  const id = where.get("id");
  if (id !== undefined) conds.push(/^\d{1,9}$/.test(id) ? eq(people.id, Number(id)) : sql`false`);
  const userName = where.get("username");
  if (userName !== undefined) conds.push(sql`lower(${scimUsers.userName}) = ${userName.toLowerCase()}`);
  const externalId = where.get("externalid");
  if (externalId !== undefined) conds.push(eq(people.externalId, externalId));
  const email = where.get("emails.value") ?? where.get("emails");
  if (email !== undefined) conds.push(sql`exists (select 1 from email_addresses e where e.person_id = ${people.id} and e.mail_norm = ${email.toLowerCase()})`);
  const rows = await db
    .select({ p: people, userName: scimUsers.userName })
    .from(people)
    .innerJoin(scimUsers, eq(scimUsers.personId, people.id))
    .where(and(...conds))
    .orderBy(asc(people.id));
  if (rows.length === 0) return [];
  const personIds = rows.map((r) => r.p.id);
  const mails = await db.select().from(emailAddresses).where(inArray(emailAddresses.personId, personIds)).orderBy(asc(emailAddresses.id));
  const memberships = await db
    .select({ personId: groupMemberships.personId, id: groups.id, name: groups.name })
    .from(groupMemberships)
    .innerJoin(groups, eq(groups.id, groupMemberships.groupId))
    .where(and(inArray(groupMemberships.personId, personIds), eq(groupMemberships.member, true), isNull(groups.deletedAt)))
    .orderBy(asc(groups.id));
  return rows.map(({ p, userName: name }) => ({
    id: p.id,
    displayName: p.displayName,
    givenName: p.givenName,
    familyName: p.familyName,
    status: p.status,
    externalId: p.externalId,
    userName: name,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    emails: mails.filter((m) => m.personId === p.id).map((m) => ({ id: Number(m.id), address: m.mail, type: m.type })),
    groups: memberships.filter((m) => m.personId === p.id).map((m) => ({ id: m.id, name: m.name })),
  }));
}

async function loadOne(connector: Connector, base: string, id: string) {
  if (!/^\d{1,9}$/.test(id)) throw new NotFoundError(`There is no User ${id}.`);
  const [p] = await loadPeople(connector.id, new Map(), [Number(id)]);
  if (!p) throw new NotFoundError(`There is no User ${id}.`);
  return { person: p, resource: userFromPerson(p as PersonForScim, connector.emailTypeMap, base) };
}

export async function getUser(connector: Connector, base: string, id: string): Promise<ScimUser> {
  return (await loadOne(connector, base, id)).resource;
}

export async function listUsers(connector: Connector, base: string, url: URL) {
  const filter = parseFilter(url.searchParams.get("filter"));
  const found = await loadPeople(connector.id, requiredEquals(filter));
  const resources = found.map((p) => userFromPerson(p, connector.emailTypeMap, base)).filter((r) => matches(r, filter));
  const page = listResponse(resources, paging(url));
  return { ...page, Resources: page.Resources.map((r) => project(r, url)) };
}

async function userNameTaken(connectorId: number, userName: string, except?: number): Promise<boolean> {
  const db = await getDb();
  const [row] = await db
    .select({ id: scimUsers.personId })
    .from(scimUsers)
    .innerJoin(people, eq(people.id, scimUsers.personId))
    .where(and(eq(scimUsers.connectorId, connectorId), sql`lower(${scimUsers.userName}) = ${userName.toLowerCase()}`, isNull(people.deletedAt)));
  return !!row && row.id !== except;
}

const taken = (userName: string) => new ScimProblem(409, `A User with userName "${userName}" exists.`, "uniqueness");

export async function createUser(connector: Connector, base: string, body: unknown): Promise<Written<ScimUser>> {
  const input = scimUserInput.parse(body);
  if (await userNameTaken(connector.id, input.userName)) throw taken(input.userName);
  const { value, jobIds } = await createPerson(personFromUser(input, connector.emailTypeMap));
  try {
    const db = await getDb();
    // A person deleted elsewhere (the API, a page) leaves its link behind: the userName is free.
    await db
      .delete(scimUsers)
      .where(and(eq(scimUsers.connectorId, connector.id), sql`lower(${scimUsers.userName}) = ${input.userName.toLowerCase()}`, sql`exists (select 1 from people p where p.id = ${scimUsers.personId} and p.deleted_at is not null)`));
    await db.insert(scimUsers).values({ personId: value.id, connectorId: connector.id, userName: input.userName });
  } catch (error) {
    // Two creates of one userName raced: the loser's person goes again.
    await deletePerson(value.id).catch(() => {});
    if (isUniqueViolation(error)) throw taken(input.userName);
    throw error;
  }
  return { resource: await getUser(connector, base, String(value.id)), jobIds };
}

/** PUT and PATCH end here: the full new state of the User, written as one registry change. */
async function write(connector: Connector, base: string, current: Awaited<ReturnType<typeof loadOne>>, next: unknown): Promise<Written<ScimUser>> {
  const input = scimUserInput.parse(next);
  const { person, resource } = current;
  const wanted = personFromUser(input, connector.emailTypeMap, person.emails);
  const differs = personDiffers(person, wanted);
  // Entra re-sends what it already sent: no registry change, no job.
  if (!differs && input.userName === person.userName) return { resource, jobIds: [] };
  if (input.userName !== person.userName) {
    if (await userNameTaken(connector.id, input.userName, person.id)) throw taken(input.userName);
    const db = await getDb();
    await db.update(scimUsers).set({ userName: input.userName }).where(eq(scimUsers.personId, person.id));
  }
  const { jobIds } = differs ? await updatePerson(person.id, wanted) : { jobIds: [] };
  return { resource: await getUser(connector, base, String(person.id)), jobIds };
}

export async function replaceUser(connector: Connector, base: string, id: string, body: unknown, ifMatch: string | null): Promise<Written<ScimUser>> {
  const current = await loadOne(connector, base, id);
  checkIfMatch(ifMatch, current.resource.meta!.version);
  return write(connector, base, current, body);
}

export async function patchUser(connector: Connector, base: string, id: string, body: unknown, ifMatch: string | null): Promise<Written<ScimUser>> {
  const current = await loadOne(connector, base, id);
  checkIfMatch(ifMatch, current.resource.meta!.version);
  return write(connector, base, current, applyPatch(current.resource, body));
}

export async function removeUser(connector: Connector, base: string, id: string, ifMatch: string | null): Promise<{ jobIds: number[] }> {
  const current = await loadOne(connector, base, id);
  checkIfMatch(ifMatch, current.resource.meta!.version);
  const { jobIds } = await deletePerson(current.person.id);
  const db = await getDb();
  await db.delete(scimUsers).where(eq(scimUsers.personId, current.person.id));
  return { jobIds };
}
