import { z } from "zod";
import type { MailmanClient } from "./client";
import { MailmanError } from "./errors";

/**
 * Template URIs of a Mailman core (console.md §3.3): the same endpoints at three levels, site
 * `/uris`, domain `/domains/{host}/uris`, list `/lists/{id}/uris`. The core echoes the HTTP Basic
 * credentials stored with a URI in clear text; the schemas below strip them, so no caller
 * of this module can ever see or log them.
 */
export type UriLevel = { scope: "list"; listId: string } | { scope: "domain"; mailHost: string } | { scope: "site" };

export const templateUriSchema = z
  .object({
    name: z.string(),
    uri: z.string(),
    // Only whether credentials are stored, never their value.
    username: z.string().nullish(),
  })
  .transform(({ name, uri, username }) => ({ name, uri, hasCredentials: Boolean(username) }));
export type TemplateUri = z.output<typeof templateUriSchema>;

const urisCollectionSchema = z.object({
  // The core omits `entries` when no URI is set (mailman-rest.md §1).
  entries: z.array(templateUriSchema).optional().default([]),
});

const singleUriSchema = z.object({ uri: z.string() }).transform(({ uri }) => uri);

const enc = encodeURIComponent;

export function urisPath(level: UriLevel): string {
  switch (level.scope) {
    case "list":
      return `/lists/${enc(level.listId)}/uris`;
    case "domain":
      return `/domains/${enc(level.mailHost)}/uris`;
    case "site":
      return "/uris";
  }
}

/** Every template URI set at this level (only the set ones are listed). */
export async function getTemplateUris(client: MailmanClient, level: UriLevel): Promise<TemplateUri[]> {
  const data = await client.get(urisPath(level), urisCollectionSchema);
  return data.entries;
}

/** The URI of one template at this level, or null when none is set. */
export function getTemplateUri(client: MailmanClient, level: UriLevel, name: string): Promise<string | null> {
  return client.getOrNull(`${urisPath(level)}/${enc(name)}`, singleUriSchema);
}

/**
 * Points templates at URIs. `credentials` apply to every name of this call; the core stores them
 * with each URI and sends them as HTTP Basic when it fetches. Setting a URI again evicts the
 * core's cached copy of its text, which is how a new text takes effect at once.
 */
export function setTemplateUris(
  client: MailmanClient,
  level: UriLevel,
  uris: Readonly<Record<string, string>>,
  credentials?: { username: string; password: string },
): Promise<void> {
  const body: Record<string, string> = { ...uris };
  if (credentials) {
    body.username = credentials.username;
    body.password = credentials.password;
  }
  return client.send("PATCH", urisPath(level), body);
}

/** Removes one template's URI, so that the core falls back to the next level. Unset is not an error. */
export async function deleteTemplateUri(client: MailmanClient, level: UriLevel, name: string): Promise<void> {
  try {
    await client.send("DELETE", `${urisPath(level)}/${enc(name)}`);
  } catch (error) {
    if (error instanceof MailmanError && error.status === 404) return;
    throw error;
  }
}
