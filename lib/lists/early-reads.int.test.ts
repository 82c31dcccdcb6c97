import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { MailmanClient } from "@/lib/mailman";
import { addHeaderMatch } from "@/lib/mailman/header-matches";
import { nodeCoreFetch } from "@/lib/mailman/transport";
import { parseRosterQuery } from "@/lib/members/roster";
import { clientForTarget, type TargetSummary } from "@/lib/targets/targets";
import { resolveListRoles } from "@/lib/auth/list-roles";
import type { Viewer } from "@/lib/auth/users";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { startFaultProxy, type FaultProxy } from "@/tests/support/fault-proxy";
import { startListPageReads } from "./early-reads";
import { takeListPageReads } from "./early-reads-store";
import { listPageReads } from "./page-reads";

/**
 * The proxy's early GETs (issue 13) against the real core, through a counting proxy of our own:
 * a list page's GETs leave before the page asks, the page's client takes their answers instead
 * of asking again, and nothing leaves for a request the page would not serve with its reads.
 */
const SECRET = "the integration tests' session secret, 32+ chars";
let core: MailmanClient;
let proxy: FaultProxy;
let target: TargetSummary;
let superuser: Viewer;
let owner: Viewer;
let listId: string;

beforeAll(async () => {
  vi.stubEnv("AUTH_SECRET", SECRET);
  vi.stubEnv("AUTH_URL", "http://127.0.0.1:3000");
  core = testClient();
  proxy = await startFaultProxy();
  superuser = await makeUser({ superuser: true });
  owner = await makeUser();
  target = await makeTarget(superuser, { serverUrl: proxy.url });
  listId = await core.createList({ fqdnListname: `${uniqueName("early")}@${target.domain}` });
  await addHeaderMatch(core, listId, { header: "x-spam-flag", pattern: "yes", action: "discard", tag: null });
  await core.subscribe({ listId, subscriber: owner.verifiedEmails[0]!, role: "owner", preVerified: true, preConfirmed: true, preApproved: true, sendWelcomeMessage: false });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await proxy.close();
});

async function sessionHeaders(viewer: Viewer | null): Promise<Headers> {
  if (!viewer) return new Headers();
  const name = "authjs.session-token";
  return new Headers({ cookie: `${name}=${await encode({ token: { uid: viewer.id, sub: viewer.id }, secret: SECRET, salt: name, maxAge: 600 })}` });
}

const pageUrl = (sub: string, search = "") => new URL(`http://127.0.0.1:3000/lists/${target.id}/${encodeURIComponent(listId)}${sub}${search}`);

/** Requests that reached the core while `fn` ran. */
async function reaching<T>(fn: () => Promise<T>): Promise<{ result: T; requests: string[] }> {
  const from = proxy.forwarded.length;
  const result = await fn();
  return { result, requests: proxy.forwarded.slice(from) };
}

describe("a list page's GETs sent as its request arrives", () => {
  it("leave before the page asks, and the page's client answers from them without asking again", async () => {
    const from = proxy.forwarded.length;
    const id = startListPageReads("GET", pageUrl("/header-filters"), await sessionHeaders(superuser));
    expect(id).not.toBeNull();
    // Sent with nobody asking yet: the guard's list read and the page's own read.
    await vi.waitFor(() => expect(proxy.forwarded.slice(from)).toHaveLength(2));
    expect(proxy.forwarded.slice(from).sort()).toEqual([`GET /lists/${listId}`, `GET /lists/${listId}/header-matches`]);

    const early = await takeListPageReads(id, target.id, superuser.id);
    expect(early).not.toBeNull();
    const { client } = await clientForTarget(target.id, { transport: early!.taker(nodeCoreFetch) });
    const { result, requests } = await reaching(() => Promise.all([client.getList(listId), listPageReads.headerFilters()({ client, list: { list_id: listId } })]));
    expect(requests).toEqual([]);
    expect(result[0]?.list_id).toBe(listId);
    expect(result[1]).toEqual([expect.objectContaining({ header: "x-spam-flag", pattern: "yes", action: "discard" })]);
    // Taken once: the same read again is a request of its own.
    expect((await reaching(() => client.getList(listId))).requests).toEqual([`GET /lists/${listId}`]);
  });

  it("send an owner's role look-up too, which the guard's look-up takes", async () => {
    const from = proxy.forwarded.length;
    const id = startListPageReads("GET", pageUrl("/held"), await sessionHeaders(owner));
    await vi.waitFor(() => expect(proxy.forwarded.slice(from)).toHaveLength(3));
    expect(proxy.forwarded.slice(from).sort()).toEqual([`GET /lists/${listId}`, `GET /lists/${listId}/held`, "GET /members/find"]);
    const early = await takeListPageReads(id, target.id, owner.id);
    const { client } = await clientForTarget(target.id, { transport: early!.taker(nodeCoreFetch) });
    const { result, requests } = await reaching(() => resolveListRoles(client, target.id, listId, owner));
    expect(requests).toEqual([]);
    expect([...result]).toEqual(["owner"]);
  });

  it("build the members page's read from the URL's own search, as the page does", async () => {
    const search = "?role=member&q=nobody&mode=regular&page=2";
    const from = proxy.forwarded.length;
    const id = startListPageReads("GET", pageUrl("/members", search), await sessionHeaders(superuser));
    const early = await takeListPageReads(id, target.id, superuser.id);
    const { client } = await clientForTarget(target.id, { transport: early!.taker(nodeCoreFetch) });
    const query = parseRosterQuery({ role: "member", q: "nobody", mode: "regular", page: "2" });
    await vi.waitFor(() => expect(proxy.forwarded.slice(from)).toHaveLength(2));
    const { result, requests } = await reaching(() => listPageReads.members(query)({ client, list: { list_id: listId } }));
    expect(requests).toEqual([]);
    expect(result.total).toBe(0);
  });

  it("send nothing without a valid session, and give nothing to another account's page", async () => {
    const { requests: anonymous } = await reaching(async () => {
      const id = startListPageReads("GET", pageUrl(""), await sessionHeaders(null));
      expect(await takeListPageReads(id, target.id, superuser.id)).toBeNull();
    });
    expect(anonymous).toEqual([]);

    const from = proxy.forwarded.length;
    const id = startListPageReads("GET", pageUrl("/held"), await sessionHeaders(owner));
    expect(await takeListPageReads(id, target.id, superuser.id)).toBeNull();
    // Nor to the same account's page of another target, nor twice.
    const again = startListPageReads("GET", pageUrl("/held"), await sessionHeaders(owner));
    expect(await takeListPageReads(again, target.id + 1, owner.id)).toBeNull();
    const once = startListPageReads("GET", pageUrl("/held"), await sessionHeaders(owner));
    expect(await takeListPageReads(once, target.id, owner.id)).not.toBeNull();
    expect(await takeListPageReads(once, target.id, owner.id)).toBeNull();
    // Each of the three sent the list read, the held read and the owner's role look-up.
    await vi.waitFor(() => expect(proxy.forwarded.slice(from)).toHaveLength(9));
  });

  it("start nothing for a POST, a router prefetch, a posting address or a page that is not a list's", async () => {
    const headers = await sessionHeaders(superuser);
    const { requests } = await reaching(async () => {
      expect(startListPageReads("POST", pageUrl("/held"), headers)).toBeNull();
      const prefetch = new Headers(headers);
      prefetch.set("next-router-prefetch", "1");
      expect(startListPageReads("GET", pageUrl("/held"), prefetch)).toBeNull();
      expect(startListPageReads("GET", new URL(`http://127.0.0.1:3000/lists/${target.id}/${encodeURIComponent(`x@${target.domain}`)}`), headers)).toBeNull();
      expect(startListPageReads("GET", new URL("http://127.0.0.1:3000/lists"), headers)).toBeNull();
      expect(startListPageReads("GET", new URL("http://127.0.0.1:3000/admin/targets"), headers)).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    expect(requests).toEqual([]);
  });
});
