import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { currentSessionUserId, requireListAccess, type ListAccess } from "@/lib/auth/guard";
import { joinGuardedRead, type ListRef } from "@/lib/auth/list-access";
import { guardPage } from "@/lib/auth/page-guard";
import type { ListCapability } from "@/lib/auth/roles";
import { UnauthenticatedError } from "@/lib/errors";
import type { MailingList } from "@/lib/mailman";
import { clientForTargetInRequest } from "@/lib/targets/request-client";

export function parseListParams(raw: { targetId: string; listId: string }): { targetId: number; listId: string } {
  const targetId = Number(raw.targetId);
  if (!Number.isInteger(targetId) || targetId < 1) notFound();
  try {
    return { targetId, listId: decodeURIComponent(raw.listId) };
  } catch {
    notFound();
  }
}

/**
 * The guarded load of a list page, shared by `generateMetadata` and the page within one request
 * (2 core calls for an owner with one verified address, 1 for a superuser), with the guard's
 * refusals as 403/404 pages.
 */
export function loadListPage(targetId: number, listId: string, capability: ListCapability, sub = ""): Promise<ListAccess> {
  // React's cache keys on the arguments as passed: `sub` is always passed, so that a page's
  // `loadListPage(t, l, c)` and `loadListPageData(t, l, c, "")` share one guard.
  return guardedLoad(targetId, listId, capability, sub);
}

const guardedLoad = cache(async (targetId: number, listId: string, capability: ListCapability, sub: string): Promise<ListAccess> => {
  const path = `/lists/${targetId}/${encodeURIComponent(listId)}${sub}`;
  return guardPage(() => requireListAccess(targetId, listId, capability, earlyListRead(targetId, listId)), path);
});

/**
 * The guard's `GET lists/{id}`, started once the request carries a valid session and the target's
 * row is read (beside the account's database read, not after it: the core call is the page's long
 * pole, issue 13). Only the guard reads its answer, after loading the account.
 */
const earlyListRead = cache((targetId: number, listId: string): Promise<MailingList | null> => {
  const read = (async () => {
    if (!(await currentSessionUserId())) throw new UnauthenticatedError();
    const { client } = await clientForTargetInRequest(targetId);
    return client.getList(listId);
  })();
  read.catch(() => {});
  return read;
});

/**
 * A list page's guard and its data in one round trip: `load` starts as soon as the viewer is known
 * to be signed in, beside the guard's own calls, with the list id of the URL. Its answer is only
 * handed out once the guard has let the viewer in; when the guard refuses, it is dropped unread
 * (the refusal becomes the 403/404 page, as with `loadListPage`). An id the guard resolves to
 * another (the posting address in the URL) loads again with the list's own id.
 *
 * Only reads may be loaded this way: the call is made before the guard has decided. `data` is a
 * promise so that the page keeps its own handling of core failures.
 */
export async function loadListPageData<T>(
  targetId: number,
  listId: string,
  capability: ListCapability,
  sub: string,
  load: (ref: ListRef) => Promise<T>,
): Promise<{ access: ListAccess; data: Promise<T> }> {
  const guarded = loadListPage(targetId, listId, capability, sub);
  // `members/find` and the core's list resources take the id, not the posting address.
  const early = listId.includes("@") ? null : prefetch(targetId, listId, load);
  return joinGuardedRead(listId, guarded, early, load);
}

async function prefetch<T>(targetId: number, listId: string, load: (ref: ListRef) => Promise<T>): Promise<T> {
  // Nothing is asked of the core without a valid session (the guard sends such visitors away);
  // with one, the read starts without waiting for the account's database read.
  if (!(await currentSessionUserId())) throw new Error("not signed in");
  const { client } = await clientForTargetInRequest(targetId);
  return load({ client, list: { list_id: listId } });
}
