import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireListAccess, type ListAccess } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import type { ListCapability } from "@/lib/auth/roles";

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
export const loadListPage = cache(async (targetId: number, listId: string, capability: ListCapability, sub = ""): Promise<ListAccess> => {
  const path = `/lists/${targetId}/${encodeURIComponent(listId)}${sub}`;
  return guardPage(() => requireListAccess(targetId, listId, capability), path);
});
