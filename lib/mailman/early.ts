import type { CoreFetch, CoreRequest, CoreResponse } from "./transport";

/**
 * GETs sent ahead of the code that will ask for them, and their answers kept until it does
 * (issue 13: a list page's core calls leave as the request arrives, not after Next.js has set up
 * the render). The answers are plain data (status, headers, body text), so code of another module
 * copy (the proxy's bundle, the page's bundle) can hand them over: the client that takes one
 * parses it, and makes its own errors of it, exactly as if it had sent the GET itself.
 */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type Outcome = { ok: true; answer: Answer } | { ok: false; error: unknown };

export class EarlyGets {
  private readonly sent = new Map<string, Promise<Outcome>>();
  private sending: Promise<unknown> = Promise.resolve();

  /**
   * Until `done` settles, a taker asking for a GET not sent (yet) waits before deciding to send
   * it itself (the sender may still be reading what it needs to send it).
   */
  sendingUntil(done: Promise<unknown>): void {
    this.sending = done.catch(() => {});
  }

  /** How many GETs are still waiting to be taken. */
  get size(): number {
    return this.sent.size;
  }

  /**
   * A transport for code run only to learn which GETs it makes: each GET is sent (once per URL
   * and credentials) and kept; the code itself gets a rejection at once, so it goes no further
   * (a later GET that depends on the first is the taker's to send).
   */
  sender(transport: CoreFetch): CoreFetch {
    return (url, request) => {
      if (request.method !== "GET") return Promise.reject(new Error("Only GETs are sent early."));
      const key = keyOf(url, request);
      if (!this.sent.has(key)) {
        const outcome = transport(url, { method: "GET", headers: request.headers, redirect: "manual" }).then(
          async (response): Promise<Outcome> => {
            const headers: Record<string, string> = {};
            for (const name of ["content-type", "location"]) {
              const value = response.headers.get(name);
              if (value !== null) headers[name] = value;
            }
            return { ok: true, answer: { status: response.status, headers, body: await response.text() } };
          },
        );
        this.sent.set(key, outcome.catch((error: unknown): Outcome => ({ ok: false, error })));
      }
      return Promise.reject(new Error("Sent early; the answer is kept for the page."));
    };
  }

  /**
   * A transport that answers a GET sent early with its kept answer (each answer is taken once),
   * and sends everything else through `transport`. The taker's timeout still applies.
   */
  taker(transport: CoreFetch): CoreFetch {
    return async (url, request) => {
      if (request.method !== "GET") return transport(url, request);
      const key = keyOf(url, request);
      // A GET not sent yet may still be on its way (the sender reads the account before the role
      // look-up); one already sent is taken at once, whatever else the sender still waits for.
      if (!this.sent.has(key)) await withSignal(this.sending, request.signal);
      const kept = this.sent.get(key);
      if (!kept) return transport(url, request);
      this.sent.delete(key);
      const outcome = await withSignal(kept, request.signal);
      if (!outcome.ok) throw outcome.error;
      return replay(outcome.answer);
    };
  }
}

// The credentials are part of the key: an answer is only ever given to a client that would have
// been allowed to ask for it.
const keyOf = (url: string, request: CoreRequest) => `${request.headers.authorization ?? ""}\n${url}`;

function replay(answer: Answer): CoreResponse {
  return {
    status: answer.status,
    headers: { get: (name) => answer.headers[name.toLowerCase()] ?? null },
    text: async () => answer.body,
    body: { cancel: async () => {} },
  };
}

function withSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", abort);
        reject(error);
      },
    );
  });
}
