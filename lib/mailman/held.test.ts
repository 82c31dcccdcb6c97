import { afterEach, describe, expect, it, vi } from "vitest";
import { MailmanClient } from "./client";
import { moderateHeld } from "./held";
import type { CoreFetch } from "./transport";

// The client with a stand-in transport: which decisions are sent again after a loaded core's 500.
describe("moderateHeld after a 500 from a loaded core", () => {
  let transport: CoreFetch | undefined;
  afterEach(() => {
    transport = undefined;
  });

  const locked = () => new Response(JSON.stringify({ title: "500 Internal Server Error" }), { status: 500, headers: { "content-type": "application/json" } });

  function stubFetch(...responses: Response[]) {
    const fetchMock = vi.fn(async () => {
      const next = responses.shift();
      if (!next) throw new Error("unexpected extra request");
      return next;
    });
    transport = fetchMock;
    return fetchMock;
  }

  const client = () => new MailmanClient({ baseUrl: "http://core.test:8001", user: "u", password: "p", retries: 2, transport });

  it.each(["discard", "defer"] as const)("sends %s again: it changes only the core's database", async (action) => {
    const fetchMock = stubFetch(locked(), new Response(null, { status: 204 }));
    await moderateHeld(client(), "a.example.org", 7, action);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it.each(["accept", "reject"] as const)("does not send %s again: the core queued mail before it failed", async (action) => {
    const fetchMock = stubFetch(locked());
    await expect(moderateHeld(client(), "a.example.org", 7, action, "why")).rejects.toMatchObject({ status: 500 });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
