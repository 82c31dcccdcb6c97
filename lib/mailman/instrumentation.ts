import { AsyncLocalStorage } from "node:async_hooks";

export interface MailmanCallRecord {
  server: string;
  method: string;
  path: string;
  status: number | "transport-error";
  ms: number;
}

const scope = new AsyncLocalStorage<MailmanCallRecord[]>();
const listeners = new Set<(call: MailmanCallRecord) => void>();

export function recordMailmanCall(call: MailmanCallRecord): void {
  scope.getStore()?.push(call);
  for (const listener of listeners) listener(call);
}

/** Runs `fn` and returns every Mailman REST call made inside it (including nested async work). */
export async function withMailmanCallLog<T>(fn: () => Promise<T>): Promise<{ result: T; calls: MailmanCallRecord[] }> {
  const calls: MailmanCallRecord[] = [];
  const result = await scope.run(calls, fn);
  return { result, calls };
}

export function onMailmanCall(listener: (call: MailmanCallRecord) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
