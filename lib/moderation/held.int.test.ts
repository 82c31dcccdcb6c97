import { beforeAll, describe, expect, it } from "vitest";
import { authorizeList, type ListAccess } from "@/lib/auth/list-access";
import type { Viewer } from "@/lib/auth/users";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { withMailmanCallLog, type MailmanClient } from "@/lib/mailman";
import { isBanned } from "@/lib/mailman/bans";
import { countHeld, injectMessage, listHeld, senderEntry } from "@/lib/mailman/held";
import { decodeHeaderWords } from "@/lib/mail/mime";
import type { TargetSummary } from "@/lib/targets/targets";
import { waitForMail } from "@/scripts/lib/local-core";
import { testClient, testCore, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { acceptAndAlwaysAccept, discardAndBan, loadHeldAttachment, loadHeldMessage, loadHeldPage, moderateHeldMessages } from "./held";

let superuser: Viewer;
let target: TargetSummary;
let core: MailmanClient;

beforeAll(async () => {
  superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  core = testClient();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pre = { preVerified: true, preConfirmed: true, preApproved: true } as const;

interface Fixture {
  listId: string;
  posting: string;
  owner: Viewer;
  member: string;
  access: ListAccess;
}

/** A list whose nonmember posts are held, with an owner and one regular member to deliver to. */
async function heldList(): Promise<Fixture> {
  const owner = await makeUser();
  const name = uniqueName("held");
  const posting = `${name}@${target.domain}`;
  const listId = await core.createList({ fqdnListname: posting });
  await core.subscribe({ listId, subscriber: owner.verifiedEmails[0]!, role: "owner", ...pre });
  const member = `${uniqueName("reader")}@people.example.test`;
  await core.subscribe({ listId, subscriber: member, ...pre });
  await core.patchListConfig(listId, { default_nonmember_action: "hold" });
  return { listId, posting, owner, member, access: await authorizeList(owner, target.id, listId, "moderate") };
}

function rfc5322(options: { from: string; to: string; subject: string; body?: string; extra?: string[]; contentType?: string }): string {
  return [
    `From: ${options.from}`,
    `To: ${options.to}`,
    `Subject: ${options.subject}`,
    `Message-ID: <${uniqueName("m")}@outside.example>`,
    "Date: Mon, 02 Mar 2026 10:00:00 +0000",
    "MIME-Version: 1.0",
    ...(options.extra ?? [`Content-Type: ${options.contentType ?? "text/plain; charset=utf-8"}`]),
    "",
    options.body ?? "Hello list.",
    "",
  ].join("\n");
}

/** Posts through the core's `in` queue and waits until the pipeline has held it; returns its request id. */
async function postHeld(fixture: Fixture, message: Parameters<typeof rfc5322>[0]): Promise<number> {
  await injectMessage(core, fixture.listId, rfc5322(message));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const held = await listHeld(core, fixture.listId, { count: 50, page: 1 });
    const found = held.entries.find((h) => h.subject === decodeHeaderWords(message.subject));
    if (found) return found.request_id;
    await sleep(250);
  }
  throw new Error(`"${message.subject}" was not held within 30 s`);
}

const stranger = () => `${uniqueName("stranger")}@outside.example`;

describe("held messages", () => {
  it("holds a nonmember's post; the queue page is one core call and carries no bodies", async () => {
    const fixture = await heldList();
    const from = stranger();
    const subject = `Queue ${uniqueName("s")}`;
    const requestId = await postHeld(fixture, { from, to: fixture.posting, subject });

    expect(await countHeld(core, fixture.listId)).toBe(1);
    const { result: page, calls } = await withMailmanCallLog(() => loadHeldPage(fixture.access.client, fixture.listId, 1));
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([`GET /lists/${fixture.listId}/held`]);
    expect(page).toMatchObject({ total: 1, page: 1, pageCount: 1 });
    expect(page.entries).toEqual([{ requestId, sender: from, subject, reason: "The message is not from a list member", holdDate: expect.any(String), size: expect.any(Number) }]);
    expect(JSON.stringify(page)).not.toContain("Hello list.");

    // A whole page view for an owner: the guard (the list and one members/find) and the page.
    const { calls: view } = await withMailmanCallLog(async () => {
      const access = await authorizeList(fixture.owner, target.id, fixture.listId, "moderate");
      return loadHeldPage(access.client, fixture.listId, 1);
    });
    expect(view.map((c) => `${c.method} ${c.path}`).sort()).toEqual([`GET /lists/${fixture.listId}`, `GET /lists/${fixture.listId}/held`, "GET /members/find"]);
  });

  it("shows a multipart message as headers, text and attachments; an HTML-only one as text", async () => {
    const fixture = await heldList();
    const subject = `=?utf-8?q?Caf=C3=A9?= ${uniqueName("mp")}`;
    const pdf = Buffer.from("%PDF-1.4 not really").toString("base64");
    const requestId = await postHeld(fixture, {
      from: stranger(),
      to: fixture.posting,
      subject,
      extra: ['Content-Type: multipart/mixed; boundary="b1"'],
      body: [
        "--b1",
        "Content-Type: multipart/alternative; boundary=b2",
        "",
        "--b2",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Plain words.",
        "--b2",
        "Content-Type: text/html; charset=utf-8",
        "",
        "<p>HTML <script>alert(1)</script>words.</p>",
        "--b2--",
        "--b1",
        'Content-Type: application/pdf; name="plan.pdf"',
        'Content-Disposition: attachment; filename="plan.pdf"',
        "Content-Transfer-Encoding: base64",
        "",
        pdf,
        "--b1--",
      ].join("\n"),
    });

    const { result: view, calls } = await withMailmanCallLog(() => loadHeldMessage(fixture.access.client, fixture.listId, requestId));
    expect(calls).toHaveLength(1);
    expect(view?.subject).toMatch(/^Café mp-/);
    expect(view?.text).toBe("Plain words.");
    expect(view?.textSource).toBe("plain");
    expect(view?.attachments).toEqual([{ index: 0, filename: "plan.pdf", mediaType: "application/pdf", size: 19 }]);
    expect(view?.headers.find((h) => h.name === "Subject")?.value).toMatch(/^Café/);
    const attachment = await loadHeldAttachment(fixture.access.client, fixture.listId, requestId, 0);
    expect(attachment?.bytes.toString()).toBe("%PDF-1.4 not really");
    expect(await loadHeldAttachment(fixture.access.client, fixture.listId, requestId, 1)).toBeNull();
    expect(await loadHeldMessage(fixture.access.client, fixture.listId, 987654)).toBeNull();

    const htmlId = await postHeld(fixture, {
      from: stranger(),
      to: fixture.posting,
      subject: `Html ${uniqueName("h")}`,
      contentType: "text/html; charset=utf-8",
      body: '<html><body><p>Click <a href="https://evil.example/">here</a></p><img src=x onerror=alert(1)></body></html>',
    });
    const html = await loadHeldMessage(fixture.access.client, fixture.listId, htmlId);
    expect(html).toMatchObject({ textSource: "html", text: "Click here (https://evil.example/)" });
  });

  it("accepts a held message, which the core then delivers to the members (SMTP sink)", async () => {
    const { maildir } = testCore();
    expect(maildir, "the integration core must expose its SMTP sink").not.toBe("");
    const fixture = await heldList();
    const subject = `Accept me ${uniqueName("a")}`;
    const requestId = await postHeld(fixture, { from: stranger(), to: fixture.posting, subject, body: "Worth reading." });

    const { result, calls } = await withMailmanCallLog(() => moderateHeldMessages(fixture.access, { targetId: target.id, listId: fixture.listId, requestIds: [requestId], action: "accept" }));
    expect(result).toEqual([{ id: String(requestId), outcome: "done", message: expect.stringMatching(/^Accepted/) }]);
    expect(calls.map((c) => `${c.method} ${c.status}`)).toEqual(["POST 204"]);

    const delivered = await waitForMail(maildir, (m) => m.to.includes(fixture.member) && m.subject.includes(subject), 45_000);
    expect(delivered.body).toContain("Worth reading.");
    expect(await countHeld(core, fixture.listId)).toBe(0);

    // A second moderator who acts on the same message gets a plain per-item result.
    expect(await moderateHeldMessages(fixture.access, { targetId: target.id, listId: fixture.listId, requestIds: [requestId], action: "discard" })).toEqual([
      { id: String(requestId), outcome: "stale", message: expect.stringMatching(/already handled/) },
    ]);
  });

  it("rejects with a reason that reaches the sender, and discards and defers in bulk with a result each", async () => {
    const { maildir } = testCore();
    const fixture = await heldList();
    const rejectedSender = stranger();
    const rejected = await postHeld(fixture, { from: rejectedSender, to: fixture.posting, subject: `Reject ${uniqueName("r")}` });
    const reason = `Off topic ${uniqueName("why")}`;
    expect(await moderateHeldMessages(fixture.access, { targetId: target.id, listId: fixture.listId, requestIds: [rejected], action: "reject", reason })).toMatchObject([
      { outcome: "done" },
    ]);
    const notice = await waitForMail(maildir, (m) => m.to.includes(rejectedSender) && m.body.includes(reason), 45_000);
    expect(notice.body).toContain(reason);

    const a = await postHeld(fixture, { from: stranger(), to: fixture.posting, subject: `Bulk A ${uniqueName("b")}` });
    const b = await postHeld(fixture, { from: stranger(), to: fixture.posting, subject: `Bulk B ${uniqueName("b")}` });
    const c = await postHeld(fixture, { from: stranger(), to: fixture.posting, subject: `Bulk C ${uniqueName("b")}` });
    expect(await moderateHeldMessages(fixture.access, { targetId: target.id, listId: fixture.listId, requestIds: [c], action: "defer" })).toMatchObject([{ outcome: "done" }]);
    const bulk = await moderateHeldMessages(fixture.access, { targetId: target.id, listId: fixture.listId, requestIds: [a, b, 424242], action: "discard" });
    expect(bulk.map((r) => [r.id, r.outcome])).toEqual([
      [String(a), "done"],
      [String(b), "done"],
      ["424242", "stale"],
    ]);
    const left = await loadHeldPage(core, fixture.listId, 1);
    expect(left.entries.map((e) => e.requestId)).toEqual([c]);
  });

  it("accepts and always accepts the sender: their nonmember entry is set to accept", async () => {
    const fixture = await heldList();
    const from = stranger();
    const requestId = await postHeld(fixture, { from, to: fixture.posting, subject: `Whitelist ${uniqueName("w")}` });
    const result = await acceptAndAlwaysAccept(fixture.access, { targetId: target.id, listId: fixture.listId, requestId });
    expect(result).toMatchObject({ outcome: "done", message: expect.stringContaining(`Future posts from ${from} are accepted`) });
    expect(await senderEntry(core, fixture.listId, from)).toMatchObject({ role: "nonmember", moderation_action: "accept" });

    // The next post of that sender is not held.
    const subject = `Whitelisted again ${uniqueName("w")}`;
    await injectMessage(core, fixture.listId, rfc5322({ from, to: fixture.posting, subject }));
    await waitForMail(testCore().maildir, (m) => m.to.includes(fixture.member) && m.subject.includes(subject), 45_000);
    expect(await countHeld(core, fixture.listId)).toBe(0);

    await expect(acceptAndAlwaysAccept(fixture.access, { targetId: target.id, listId: fixture.listId, requestId })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("discards and bans the sender (owners only)", async () => {
    const fixture = await heldList();
    const from = stranger();
    const requestId = await postHeld(fixture, { from, to: fixture.posting, subject: `Spam ${uniqueName("x")}` });

    const moderator = await makeUser();
    await core.subscribe({ listId: fixture.listId, subscriber: moderator.verifiedEmails[0]!, role: "moderator", ...pre });
    const moderatorAccess = await authorizeList(moderator, target.id, fixture.listId, "moderate");
    await expect(discardAndBan(moderatorAccess, { targetId: target.id, listId: fixture.listId, requestId })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await countHeld(core, fixture.listId)).toBe(1);

    const result = await discardAndBan(fixture.access, { targetId: target.id, listId: fixture.listId, requestId });
    expect(result).toMatchObject({ outcome: "done", message: expect.stringContaining(`${from} is banned`) });
    expect(await isBanned(core, { listId: fixture.listId }, from)).toBe(true);
    expect(await countHeld(core, fixture.listId)).toBe(0);
  });
});
