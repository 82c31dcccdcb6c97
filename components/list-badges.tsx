"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/card";

interface Counts {
  held: number;
  requests: number;
}

function listPath(targetId: number, listId: string, sub: string): string {
  return `/lists/${targetId}/${encodeURIComponent(listId)}${sub}`;
}

/** The query key of a list's badges: moderation screens invalidate it after a decision. */
export const listBadgesKey = (targetId: number, listId: string) => ["list-badges", targetId, listId] as const;

/**
 * Pending moderation work of a list. `initial`: counts the server already held, fresh (no request
 * then); otherwise loaded after the page (never delaying it) from `/lists/{t}/{l}/badges`, which
 * reuses them for 30 s per list (lib/moderation/badges.ts). Shows nothing while loading or on failure.
 */
export function ListBadges({ targetId, listId, initial }: { targetId: number; listId: string; initial?: Counts | null }) {
  const { data } = useQuery({
    queryKey: listBadgesKey(targetId, listId),
    queryFn: async ({ signal }): Promise<Counts> => {
      const response = await fetch(listPath(targetId, listId, "/badges"), { signal, headers: { accept: "application/json" } });
      if (!response.ok) throw new Error(`badges: ${response.status}`);
      return (await response.json()) as Counts;
    },
    staleTime: 30_000,
    initialData: initial ?? undefined,
    refetchOnWindowFocus: true,
  });
  if (!data || (data.held === 0 && data.requests === 0)) return null;
  return (
    <span className="inline-flex flex-wrap gap-2" data-testid="list-badges">
      {data.held > 0 ? (
        <Link href={listPath(targetId, listId, "/held")} aria-label={`${data.held} held ${data.held === 1 ? "message" : "messages"}`}>
          <Badge tone="amber">{data.held} held</Badge>
        </Link>
      ) : null}
      {data.requests > 0 ? (
        <Link href={listPath(targetId, listId, "/requests")} aria-label={`${data.requests} pending ${data.requests === 1 ? "request" : "requests"}`}>
          <Badge tone="amber">{data.requests} {data.requests === 1 ? "request" : "requests"}</Badge>
        </Link>
      ) : null}
    </span>
  );
}
