/**
 * Server action bodies past Next's `serverActions.bodySizeLimit` (next.config.mjs) make Next
 * answer 500 after reading the limit's worth (it turns its own 413 into a 500 for fetch
 * actions). The proxy refuses them first, from the Content-Length every browser sends with an
 * action's body, and refuses an action's body without one (a browser never sends that), so an
 * oversized body is a plain 413 and never reaches Next's reader.
 */

/** Mass subscribe sends pasted text or a CSV file's content (≤ 2M characters, up to 4 bytes each). */
export const ACTION_BODY_LIMIT = "8mb";
export const ACTION_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

export interface BodyRefusal {
  status: 411 | 413;
  message: string;
}

export function actionBodyRefusal(method: string, headers: Headers): BodyRefusal | null {
  if (method !== "POST" || !headers.has("next-action")) return null;
  const header = headers.get("content-length");
  const length = header !== null && /^\d+$/.test(header.trim()) ? Number(header) : null;
  if (length === null) return { status: 411, message: "A server action's request must say its length (Content-Length)." };
  if (length > ACTION_BODY_LIMIT_BYTES) return { status: 413, message: `The request is too large: at most ${ACTION_BODY_LIMIT_BYTES / 1024 / 1024} MB.` };
  return null;
}
