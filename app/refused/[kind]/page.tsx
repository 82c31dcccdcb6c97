import { forbidden, notFound } from "next/navigation";

/**
 * Where a route handler sends a browser navigation it refuses (lib/entry/route.ts): Next's
 * forbidden() and notFound() render the 403 and 404 pages from pages, not from route handlers.
 */
export default async function Refused({ params }: { params: Promise<{ kind: string }> }) {
  const { kind } = await params;
  if (kind === "forbidden") forbidden();
  notFound();
}
