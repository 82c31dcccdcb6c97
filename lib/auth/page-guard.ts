import "server-only";
import { forbidden, notFound, redirect } from "next/navigation";
import { ForbiddenError, NotFoundError, UnauthenticatedError } from "@/lib/errors";

/**
 * Runs a page's guarded loader and turns the guard's typed errors into navigation: sign-in for
 * anonymous visitors, the 403 page for the forbidden, the 404 page for what they may not see.
 */
export async function guardPage<T>(load: () => Promise<T>, returnTo?: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof UnauthenticatedError) redirect(`/login${returnTo ? `?callbackUrl=${encodeURIComponent(returnTo)}` : ""}`);
    if (error instanceof ForbiddenError) forbidden();
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}
