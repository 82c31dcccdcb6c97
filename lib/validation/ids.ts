import { z } from "zod";

/** Ids are PostgreSQL `integer`s: a larger number names nothing and must not reach a query. */
export const MAX_ID = 2_147_483_647;

/** An id in a JSON body. */
export const bodyId = z.number().int().positive().max(MAX_ID, "not an id");

/**
 * A numeric id in a URL path (api-v1.md: ids are JSON numbers): digits only, as a number.
 * Ids are PostgreSQL integers: a longer number names nothing (and must not reach the database).
 */
export const idParam = z
  .string()
  .regex(/^\d+$/, "not an id")
  .transform(Number)
  .refine((n) => n <= MAX_ID, "not an id");

/** An id in a query string (`?targetId=3`). */
export const queryId = z.coerce.number().int().positive().max(MAX_ID, "not an id");

/** `?page=`: far past any real page, but never an offset the database refuses. */
export const pageNumber = z.coerce.number().int().min(1).max(1_000_000).default(1);
