import { z } from "zod";
import type { ListRef } from "@/lib/auth/list-access";

const summaryConfigSchema = z.object({
  info: z.string().nullish(),
  posting_address: z.string().nullish(),
  owner_address: z.string().nullish(),
  request_address: z.string().nullish(),
  created_at: z.string().nullish(),
  last_post_at: z.string().nullish(),
  digest_last_sent_at: z.string().nullish(),
  volume: z.number().nullish(),
  next_digest_number: z.number().nullish(),
});

export interface ListSummary {
  info: string;
  postingAddress: string;
  ownerAddress: string;
  requestAddress: string;
  createdAt: Date | null;
  lastPostAt: Date | null;
  digestLastSentAt: Date | null;
  volume: number | null;
  nextDigestNumber: number | null;
}

/**
 * The core writes naive UTC datetimes (`2026-11-20T22:38:37.854341`) and uses year 1 or null for
 * "never" (mailman-rest.md §1).
 */
export function parseCoreDate(value: string | null | undefined): Date | null {
  if (!value || value.startsWith("0001-")) return null;
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** What the summary page shows beyond the list resource: one `GET …/config`. */
export async function loadListSummary(access: ListRef): Promise<ListSummary> {
  const raw = summaryConfigSchema.parse(await access.client.getListConfig(access.list.list_id));
  return {
    info: raw.info ?? "",
    postingAddress: raw.posting_address ?? access.list.fqdn_listname ?? "",
    ownerAddress: raw.owner_address ?? "",
    requestAddress: raw.request_address ?? "",
    createdAt: parseCoreDate(raw.created_at),
    lastPostAt: parseCoreDate(raw.last_post_at),
    digestLastSentAt: parseCoreDate(raw.digest_last_sent_at),
    volume: raw.volume ?? null,
    nextDigestNumber: raw.next_digest_number ?? null,
  };
}
