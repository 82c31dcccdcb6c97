"use client";

import "./globals.css";

/**
 * The last resort when the root layout itself fails (its header reads the session's account from
 * the database): the same plain message as app/error.tsx, in a document of its own.
 */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <main className="mx-auto max-w-lg px-4 py-16 text-center" data-testid="page-error">
          <h1 className="text-2xl font-bold">Listkeeper could not load this page</h1>
          <p role="alert" className="mt-2 text-slate-600">
            A service it needs, the Mailman server or Listkeeper&apos;s database, did not answer. This is usually brief (a restart): try
            again in a moment.{error.digest ? ` Reference ${error.digest}.` : ""}
          </p>
          <button type="button" onClick={() => reset()} className="mt-6 rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white">
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
