import http from "node:http";

/**
 * The soak's load driver: virtual users, each with its own session cookie and its own keep-alive
 * connection (as a browser holds one), each repeating "pick the next step of my mix, send it,
 * read the whole answer, think". Every answer is read and checked (status, no error page, the
 * text the page must show, a server action's result), so a 200 that shows an error counts as an
 * error, not as a fast page. Node's own http client: no dependency, and it carries per-user
 * cookies and server-action bodies, which a fixed-request load tool does not.
 */
export interface Step {
  /** The row of the figures this request counts under. */
  page: string;
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** null when the answer is right; otherwise what is wrong with it. */
  check(status: number, body: string): string | null;
}

export interface VirtualUser {
  name: string;
  cookie: string;
  /** The next request of this user's mix; it may depend on what earlier answers said. */
  next(): Step;
  /** Sees each answer (e.g. a toggle remembers whether it is subscribed now). */
  seen?(step: Step, status: number, body: string): void;
}

export interface LoadError {
  page: string;
  user: string;
  what: string;
}

export interface LoadResult {
  byPage: Map<string, number[]>;
  errors: LoadError[];
  requests: number;
  seconds: number;
}

export interface LoadOptions {
  port: number;
  /** Host header: the public origin's host (Next checks server actions' Origin against it). */
  host: string;
  users: readonly VirtualUser[];
  durationMs: number;
  /** Pause between one answer and the user's next request, drawn uniformly from [min, max]. */
  thinkMs: readonly [number, number];
  timeoutMs: number;
}

/** Markers of Next's error pages (an unexpected error in a page): never a normal answer. */
const ERROR_PAGE = /Application error: a server-side exception|Internal Server Error/;

/** The usual check of a page: 200, no error page, and the text the page shows when it works. */
export function pageCheck(mustShow: string | RegExp): Step["check"] {
  return (status, body) => {
    if (status !== 200) return `HTTP ${status}`;
    if (ERROR_PAGE.test(body)) return "an error page";
    const shown = typeof mustShow === "string" ? body.includes(mustShow) : mustShow.test(body);
    return shown ? null : `the page does not show ${String(mustShow)}`;
  };
}

/** A server action call as the browser sends it (React's reply encoding of JSON arguments). */
export function actionStep(page: string, pagePath: string, actionId: string, origin: string, input: unknown, check: Step["check"]): Step {
  return {
    page,
    method: "POST",
    path: pagePath,
    headers: { "next-action": actionId, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component", origin },
    body: JSON.stringify([input]),
    check,
  };
}

/** next-safe-action's answer: ok unless it carries a server or validation error. */
export function actionCheck(status: number, body: string): string | null {
  if (status !== 200) return `HTTP ${status}`;
  const failure = /"(serverError|validationErrors)":(\{[^}]*\}|"[^"]*")/.exec(body);
  if (failure) return `${failure[1]}: ${failure[2]!.slice(0, 200)}`;
  if (!body.includes('"data"')) return "no result in the answer";
  return null;
}

export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
}

/** One request as a user sends it (own connection), for the fault checks. */
export function sendOnce(options: Pick<LoadOptions, "port" | "host" | "timeoutMs">, cookie: string, step: Step): Promise<{ status: number; body: string }> {
  const agent = new http.Agent({ keepAlive: false });
  return send(agent, options, { name: "one request", cookie, next: () => step }, step).finally(() => agent.destroy());
}

function send(agent: http.Agent, options: Pick<LoadOptions, "port" | "host" | "timeoutMs">, user: VirtualUser, step: Step): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: "127.0.0.1",
        port: options.port,
        method: step.method,
        path: step.path,
        headers: { host: options.host, cookie: user.cookie, ...step.headers, ...(step.body ? { "content-length": Buffer.byteLength(step.body) } : {}) },
        timeout: options.timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer within ${options.timeoutMs / 1000} s`)));
    request.on("error", reject);
    request.end(step.body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const byPage = new Map<string, number[]>();
  const errors: LoadError[] = [];
  let requests = 0;
  const started = performance.now();
  const end = started + options.durationMs;
  const [minThink, maxThink] = options.thinkMs;
  const think = () => minThink + Math.random() * (maxThink - minThink);

  await Promise.all(
    options.users.map(async (user) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      // Users arrive spread over one think time, not all in the same millisecond.
      await sleep(Math.min(Math.random() * maxThink, options.durationMs));
      try {
        while (performance.now() < end) {
          const step = user.next();
          const t0 = performance.now();
          requests++;
          try {
            const { status, body } = await send(agent, options, user, step);
            const ms = performance.now() - t0;
            const wrong = step.check(status, body);
            if (wrong) errors.push({ page: step.page, user: user.name, what: wrong });
            else {
              const samples = byPage.get(step.page) ?? [];
              samples.push(ms);
              byPage.set(step.page, samples);
            }
            user.seen?.(step, status, body);
          } catch (error) {
            errors.push({ page: step.page, user: user.name, what: (error as Error).message });
          }
          // A pause never runs past the end: the run lasts its duration, not duration + one pause.
          await sleep(Math.min(think(), Math.max(0, end - performance.now())));
        }
      } finally {
        agent.destroy();
      }
    }),
  );
  return { byPage, errors, requests, seconds: (performance.now() - started) / 1000 };
}
