import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { Viewer } from "@/lib/auth/users";
import { ForbiddenError, UnauthenticatedError } from "@/lib/errors";

// The entry layer's own logic: who is asked (session or token), what is parsed, how each door
// answers. The guard and the token store are replaced; they have tests of their own.
const session = vi.hoisted(() => ({ viewer: null as Viewer | null }));
const listGuard = vi.hoisted(() => ({ refuse: false, calls: [] as { targetId: number; listId: string; capability: string }[] }));

vi.mock("@/lib/auth/guard", () => ({
  requireViewer: async () => {
    if (!session.viewer) throw new UnauthenticatedError("Sign in first.");
    return session.viewer;
  },
}));
vi.mock("@/lib/auth/api-tokens", () => ({
  viewerForToken: async (token: string) => (token === "good" ? { viewer: { ...member, id: "token-owner" }, tokenName: "ci" } : null),
}));
vi.mock("@/lib/auth/list-access", () => ({
  authorizeListWith: async (_viewer: Viewer, targetId: number, listId: string, capability: string, load: (ref: unknown) => Promise<unknown>) => {
    listGuard.calls.push({ targetId, listId, capability });
    const data = load({ client: {}, list: { list_id: listId } });
    data.catch(() => {});
    if (listGuard.refuse) throw new ForbiddenError("Only this list's owners may do that.");
    return { access: { list: { list_id: listId } }, data };
  },
}));
vi.mock("@/lib/audit", () => ({
  auditDoor: { user: (userId: string) => ({ kind: "user", userId }), apiToken: (userId: string, label: string) => ({ kind: "api_token", userId, label }) },
  noteChange: async () => {},
  withAuditScope: (_door: unknown, fn: () => Promise<unknown>) => fn(),
}));

const { consoleRoute, route } = await import("./route");

const member = { id: "u1", email: "m@example.org", isSuperuser: false } as unknown as Viewer;
const fetchInit = (headers: Record<string, string> = {}) => ({ headers: { "sec-fetch-mode": "cors", ...headers } });
const listContext = (listId: string, extra: Record<string, string> = {}) => ({ params: Promise.resolve({ targetId: "3", listId, ...extra }) });

beforeEach(() => {
  session.viewer = member;
  listGuard.refuse = false;
  listGuard.calls = [];
});

describe("consoleRoute", () => {
  const jobStatus = consoleRoute({ access: "signed_in", list: "administer", params: z.object({ jobId: z.coerce.number().int().positive() }) }, async ({ list, params }) => ({
    list: list.list.list_id,
    job: params.jobId,
  }));

  it("guards the list from the path (percent-decoded) and hands the handler typed params", async () => {
    const response = await jobStatus(new Request("http://x/lists/3/a%40b.example/members/jobs/7/status", fetchInit()), listContext("a%40b.example", { jobId: "7" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ list: "a@b.example", job: 7 });
    expect(listGuard.calls).toEqual([{ targetId: 3, listId: "a@b.example", capability: "administer" }]);
  });

  it("names each bad field in one line, with 422", async () => {
    const response = await jobStatus(new Request("http://x/", fetchInit()), listContext("a.b", { jobId: "seven" }));
    expect(response.status).toBe(422);
    expect((await response.json()) as { error: string }).toEqual({ error: expect.stringMatching(/^jobId: /) });
  });

  it("answers a refused fetch with the guard's words and no data", async () => {
    listGuard.refuse = true;
    const response = await jobStatus(new Request("http://x/", fetchInit()), listContext("a.b", { jobId: "7" }));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: "Only this list's owners may do that." });
  });

  it("ignores a bearer token: the console's routes take the session only", async () => {
    session.viewer = null;
    const route = consoleRoute({ access: "signed_in" }, async ({ viewer }) => ({ who: viewer.id }));
    const response = await route(new Request("http://x/api/lists", fetchInit({ authorization: "Bearer good" })));
    expect(response.status).toBe(401);
  });

  it("sends a followed link to the sign-in page instead of JSON", async () => {
    session.viewer = null;
    const route = consoleRoute({ access: "signed_in" }, async () => ({}));
    await expect(route(new Request("http://x/lists/3/a.b/members/export?role=member", { headers: { "sec-fetch-mode": "navigate" } }))).rejects.toMatchObject({
      digest: expect.stringContaining("/login?callbackUrl=%2Flists%2F3%2Fa.b%2Fmembers%2Fexport%3Frole%3Dmember"),
    });
  });

  it("refuses a superuser route to anyone else before the handler runs", async () => {
    const handler = vi.fn(async () => ({}));
    const response = await consoleRoute({ access: "superuser" }, handler)(new Request("http://x/admin/audit/export", fetchInit()));
    expect(response.status).toBe(403);
    expect(handler).not.toHaveBeenCalled();
  });

  it("passes a handler's own Response through (downloads)", async () => {
    const route = consoleRoute({ access: "signed_in" }, async () => new Response("a,b\n", { headers: { "content-type": "text/csv" } }));
    const response = await route(new Request("http://x/", fetchInit()));
    expect(response.headers.get("content-type")).toBe("text/csv");
    expect(await response.text()).toBe("a,b\n");
  });
});

describe("the API door", () => {
  const people = route({ door: "api", access: "signed_in", body: z.object({ name: z.string().min(1) }) }, async ({ viewer, body }) => ({ by: viewer.id, name: body.name }), { status: 201 });
  const post = (body: string, headers: Record<string, string> = {}) => new Request("http://x/api/v1/people", { method: "POST", body, headers: { "content-type": "application/json", ...headers } });

  it("takes a bearer token as its creator", async () => {
    session.viewer = null;
    const response = await people(post('{"name":"Ada"}', { authorization: "Bearer good" }));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ by: "token-owner", name: "Ada" });
  });

  it("answers a bad token, bad JSON and a bad field as problem+json", async () => {
    const badToken = await people(post('{"name":"Ada"}', { authorization: "Bearer nope" }));
    expect(badToken.status).toBe(401);
    expect(badToken.headers.get("content-type")).toBe("application/problem+json");
    expect((await people(post("{"))).status).toBe(422);
    expect(await (await people(post('{"name":""}'))).json()).toMatchObject({ status: 422, errors: [{ path: "name" }] });
  });
});

describe("a route without dynamic segments", () => {
  it("works whether Next passes no context, no params or empty params", async () => {
    const index = consoleRoute({ access: "signed_in", query: z.object({ q: z.string().optional() }) }, async ({ query }) => query);
    const request = () => new Request("http://x/api/lists?q=a", fetchInit());
    for (const context of [undefined, {}, { params: Promise.resolve(undefined) }, { params: Promise.resolve({}) }]) {
      const response = await index(request(), context);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ q: "a" });
    }
  });
});
