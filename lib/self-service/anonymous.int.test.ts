import { beforeAll, describe, expect, it } from "vitest";
import { allRequests } from "@/lib/mailman/requests";
import { getTemplateUri } from "@/lib/mailman/templates";
import { publishedTemplateText } from "@/lib/templates/templates";
import { clientForTarget, type TargetSummary } from "@/lib/targets/targets";
import { waitForMail } from "@/scripts/lib/local-core";
import { createTestDomain, testCore } from "@/tests/support/core";
import { makeTarget, makeUser, unique } from "@/tests/support/factories";
import { issueSubscribeToken, SUBSCRIBE_LINK_LIFE_SECONDS } from "./subscribe-link";
import { anonymousSubscribe, CHECK_TO_CONFIRM, confirmSubscription, issueFormStamp, peekConfirmation, publishConfirmationTemplate, SUBSCRIBE_TEMPLATE } from "./anonymous";

let target: TargetSummary;
let adminId: string;
beforeAll(async () => {
  const admin = await makeUser({ superuser: true });
  adminId = admin.id;
  target = await makeTarget(admin);
});

const tenSecondsAgo = () => issueFormStamp(Date.now() - 10_000);
let n = 0;
const ctx = () => ({ clientAddress: `203.0.113.${(n++ % 200) + 1}` });

describe("anonymous subscribe from a list's public page", () => {
  it("files a subscription the core confirms by mail; the mailed token confirms it once", async () => {
    const core = testCore();
    const { client } = await clientForTarget(target.id);
    const listId = await client.createList({ fqdnListname: `${unique("pub")}@${target.domain}` });
    const email = `${unique("visitor")}@outside.example.test`;
    expect(await anonymousSubscribe({ targetId: target.id, listId, email, stamp: tenSecondsAgo() }, ctx())).toEqual({ message: CHECK_TO_CONFIRM });
    const mail = await waitForMail(core.maildir, (m) => m.to.includes(email) && /confirm/i.test(m.subject + m.body), 30_000);
    const token = /confirm ([0-9a-f]{20,})/i.exec(mail.body + mail.subject)![1]!;
    expect(await peekConfirmation({ targetId: target.id, list: listId, token })).toEqual({ email, listId });
    expect(await confirmSubscription({ targetId: target.id, list: listId, token })).toMatchObject({ state: "subscribed", email });
    await expect(confirmSubscription({ targetId: target.id, list: listId, token })).rejects.toThrow(/does not work any more/);
    // Asking again for a subscribed address answers the same, and files nothing.
    expect(await anonymousSubscribe({ targetId: target.id, listId, email, stamp: tenSecondsAgo() }, ctx())).toEqual({ message: CHECK_TO_CONFIRM });
    expect(await allRequests(client, listId, {})).toEqual([]);
  });

  it("ends in 'waiting for approval' on a moderated list", async () => {
    const core = testCore();
    const { client } = await clientForTarget(target.id);
    const listId = await client.createList({ fqdnListname: `${unique("mod")}@${target.domain}` });
    await client.patchListConfig(listId, { subscription_policy: "confirm_then_moderate" });
    const email = `${unique("visitor")}@outside.example.test`;
    await anonymousSubscribe({ targetId: target.id, listId, email, stamp: tenSecondsAgo() }, ctx());
    const mail = await waitForMail(core.maildir, (m) => m.to.includes(email) && /confirm/i.test(m.subject + m.body), 30_000);
    const token = /confirm ([0-9a-f]{20,})/i.exec(mail.body + mail.subject)![1]!;
    expect((await confirmSubscription({ targetId: target.id, list: listId, token })).state).toBe("pending_approval");
    expect(await allRequests(client, listId, { tokenOwner: "moderator" })).toHaveLength(1);
  });

  it("asks the owner of an address the core knows as verified by Listkeeper's own mail, and subscribes only when its link is used", async () => {
    const core = testCore();
    const { client } = await clientForTarget(target.id);
    const email = `${unique("known")}@outside.example.test`;
    // Verified in the core: a member of another list on the server, subscribed pre-verified.
    const elsewhere = await client.createList({ fqdnListname: `${unique("other")}@${target.domain}` });
    await client.subscribe({ listId: elsewhere, subscriber: email, preVerified: true, preConfirmed: true, preApproved: true });
    const listId = await client.createList({ fqdnListname: `${unique("open")}@${target.domain}` });
    await client.patchListConfig(listId, { subscription_policy: "open", advertised: true });

    expect(await anonymousSubscribe({ targetId: target.id, listId, email, stamp: tenSecondsAgo() }, ctx())).toEqual({ message: CHECK_TO_CONFIRM });
    // Not subscribed behind the owner's back: the core mailed nothing and filed nothing.
    expect((await client.findMembers({ listId, subscriber: email, role: "member" }, { count: 1, page: 1 })).total).toBe(0);
    expect(await allRequests(client, listId, {})).toEqual([]);
    const mail = await waitForMail(core.maildir, (m) => m.to.includes(email) && m.subject.includes(`Confirm your subscription to ${listId}`), 30_000);
    const link = new URL(/(https?:\/\/\S+\/confirm\/\S+)/.exec(mail.body)![1]!);
    expect(link.pathname).toBe(`/confirm/${target.id}`);
    const token = link.searchParams.get("token")!;
    expect(link.searchParams.get("list")).toBe(listId);

    // A changed, expired or re-aimed token is refused with a plain message.
    const tampered = `${token.slice(0, 5)}${token[5] === "A" ? "B" : "A"}${token.slice(6)}`;
    const expired = issueSubscribeToken({ targetId: target.id, listId, email }, Date.now() - (SUBSCRIBE_LINK_LIFE_SECONDS + 60) * 1000);
    for (const bad of [tampered, expired]) {
      expect(await peekConfirmation({ targetId: target.id, list: listId, token: bad })).toBeNull();
      await expect(confirmSubscription({ targetId: target.id, list: listId, token: bad })).rejects.toThrow("This confirmation link does not work any more: it was used or it expired.");
    }
    await expect(confirmSubscription({ targetId: target.id, list: elsewhere, token })).rejects.toThrow(/does not work any more/);
    expect((await client.findMembers({ listId, subscriber: email, role: "member" }, { count: 1, page: 1 })).total).toBe(0);

    expect(await peekConfirmation({ targetId: target.id, list: listId, token })).toEqual({ email, listId });
    expect(await confirmSubscription({ targetId: target.id, list: listId, token })).toMatchObject({ state: "subscribed", email, listId });
    expect((await client.findMembers({ listId, subscriber: email, role: "member" }, { count: 1, page: 1 })).total).toBe(1);
  });

  it("on a moderated list, Listkeeper's own link for a verified address ends waiting for the moderators", async () => {
    const core = testCore();
    const { client } = await clientForTarget(target.id);
    const email = `${unique("knownmod")}@outside.example.test`;
    const elsewhere = await client.createList({ fqdnListname: `${unique("other")}@${target.domain}` });
    await client.subscribe({ listId: elsewhere, subscriber: email, preVerified: true, preConfirmed: true, preApproved: true });
    const listId = await client.createList({ fqdnListname: `${unique("moder")}@${target.domain}` });
    await client.patchListConfig(listId, { subscription_policy: "moderate", advertised: true });

    expect(await anonymousSubscribe({ targetId: target.id, listId, email, stamp: tenSecondsAgo() }, ctx())).toEqual({ message: CHECK_TO_CONFIRM });
    // Nothing reaches the moderators without the subscriber's consent.
    expect(await allRequests(client, listId, {})).toEqual([]);
    const mail = await waitForMail(core.maildir, (m) => m.to.includes(email) && m.subject.includes(`Confirm your subscription to ${listId}`), 30_000);
    const token = new URL(/(https?:\/\/\S+\/confirm\/\S+)/.exec(mail.body)![1]!).searchParams.get("token")!;
    expect((await confirmSubscription({ targetId: target.id, list: listId, token })).state).toBe("pending_approval");
    expect(await allRequests(client, listId, { tokenOwner: "moderator" })).toHaveLength(1);
  });

  it("keeps bots out: a filled hidden field files nothing, a form sent too fast or with a forged stamp is refused, unadvertised lists do not exist", async () => {
    const { client } = await clientForTarget(target.id);
    const listId = await client.createList({ fqdnListname: `${unique("bot")}@${target.domain}` });
    const email = `${unique("bot")}@outside.example.test`;
    expect(await anonymousSubscribe({ targetId: target.id, listId, email, website: "http://spam", stamp: tenSecondsAgo() }, ctx())).toEqual({ message: CHECK_TO_CONFIRM });
    expect(await anonymousSubscribe({ targetId: target.id, listId, email, stamp: `${Math.floor(Date.now() / 1000) - 60}.forged` }, ctx())).toEqual({ message: CHECK_TO_CONFIRM });
    expect(await allRequests(client, listId, {})).toEqual([]);
    await expect(anonymousSubscribe({ targetId: target.id, listId, email, stamp: issueFormStamp() }, ctx())).rejects.toThrow(/quicker than people type/);
    await client.patchListConfig(listId, { advertised: false });
    await expect(anonymousSubscribe({ targetId: target.id, listId, email, stamp: tenSecondsAgo() }, ctx())).rejects.toThrow(/no such list/);
  });

  it("limits requests per address", async () => {
    const { client } = await clientForTarget(target.id);
    const listId = await client.createList({ fqdnListname: `${unique("rl")}@${target.domain}` });
    const email = `${unique("many")}@outside.example.test`;
    for (let i = 0; i < 3; i++) await anonymousSubscribe({ targetId: target.id, listId, email, stamp: tenSecondsAgo() }, ctx());
    await expect(anonymousSubscribe({ targetId: target.id, listId, email, stamp: tenSecondsAgo() }, ctx())).rejects.toThrow(/Too many/);
  });

  it("publishes the domain's confirmation template with Listkeeper's link through the template machinery", async () => {
    const { client } = await clientForTarget(target.id);
    // A domain of its own without lists: the core is never asked to fetch from this test's base URL.
    const mailHost = await createTestDomain(client);
    const published = await publishConfirmationTemplate(client, target.id, mailHost, adminId, { baseUrl: "http://localhost:9", origin: "http://localhost:3000" });
    expect(published.uri).toContain(encodeURIComponent(SUBSCRIBE_TEMPLATE));
    expect(await getTemplateUri(client, { scope: "domain", mailHost }, SUBSCRIBE_TEMPLATE)).toBe(published.uri);
    const text = await publishedTemplateText({ targetId: target.id, scope: "domain", scopeId: mailHost }, SUBSCRIBE_TEMPLATE);
    expect(text).toContain(`http://localhost:3000/confirm/${target.id}?list=$listname&token=$token`);
    expect(text).toContain("confirm $token");
  });
});
