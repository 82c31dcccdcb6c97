"use client";

import Link from "next/link";
import { Button } from "@/components/ui/button";

/**
 * What a page shows when loading it failed on the server: most often a Mailman server or the
 * database that does not answer for a moment (a restart). A plain message and a way to try
 * again, never a stack; the reference matches the server's log line.
 */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-lg text-center" data-testid="page-error">
      <h1 className="text-2xl font-bold">This page could not be loaded</h1>
      <p role="alert" className="mt-2 text-slate-600">
        A service it needs, the Mailman server or Listkeeper&apos;s database, did not answer. This is usually brief (a restart): try again in
        a moment.{error.digest ? ` Reference ${error.digest}.` : ""}
      </p>
      <div className="mt-6 flex items-center justify-center gap-4">
        <Button onClick={() => reset()}>Try again</Button>
        <Link href="/lists" className="text-indigo-700 underline">
          Back to the lists
        </Link>
      </div>
    </div>
  );
}
