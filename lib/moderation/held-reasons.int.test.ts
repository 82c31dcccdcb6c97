import { beforeAll, describe, expect, it } from "vitest";
import type { MailmanClient } from "@/lib/mailman";
import { addHeaderMatch } from "@/lib/mailman/header-matches";
import { injectMessage, listHeld, senderEntry } from "@/lib/mailman/held";
import type { TargetSummary } from "@/lib/targets/targets";
import { testClient, uniqueName } from "@/tests/support/core";
import { makeTarget, makeUser } from "@/tests/support/factories";
import { loadHeldMessage, loadHeldPage } from "./held";

/**
 * Every reason for which Mailman 3.3.8's default posting chain holds a post, made to happen on the
 * real core. Some rules store their reason as a string, others as a (template, argument) pair
 * (header filters, size, recipients, suspicious headers): the queue and the message view must
 * read both and show the reason in words.
 */

let core: MailmanClient;
let target: TargetSummary;

beforeAll(async () => {
  const superuser = await makeUser({ superuser: true });
  target = await makeTarget(superuser);
  core = testClient();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pre = { preVerified: true, preConfirmed: true, preApproved: true } as const;

interface Post {
  from: string;
  to?: string;
  cc?: string;
  /** null: no Subject header at all. */
  subject: string | null;
  body?: string;
}

async function list(options: { poster?: string; config?: Record<string, unknown> } = {}) {
  const name = uniqueName("why");
  const posting = `${name}@${target.domain}`;
  const listId = await core.createList({ fqdnListname: posting });
  if (options.poster) await core.subscribe({ listId, subscriber: options.poster, ...pre });
  if (options.config) await core.patchListConfig(listId, options.config);
  return { listId, posting };
}

/** Injects the post and waits until the core holds it (found by Message-ID); returns its request id. */
async function hold(listId: string, posting: string, post: Post): Promise<number> {
  const messageId = `${uniqueName("m")}@outside.example`;
  const text = [
    `From: ${post.from}`,
    `To: ${post.to ?? posting}`,
    ...(post.cc ? [`Cc: ${post.cc}`] : []),
    ...(post.subject === null ? [] : [`Subject: ${post.subject}`]),
    `Message-ID: <${messageId}>`,
    "Date: Mon, 02 Mar 2026 10:00:00 +0000",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    post.body ?? "Hello list.",
    "",
  ].join("\n");
  await injectMessage(core, listId, text);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const held = await listHeld(core, listId, { count: 50, page: 1 });
    const found = held.entries.find((h) => h.message_id?.replace(/[<>]/g, "") === messageId);
    if (found) return found.request_id;
    await sleep(250);
  }
  throw new Error(`The post to ${listId} was not held within 30 s`);
}

/** What the queue and the message page show for the one held post of the list. */
async function shown(listId: string, requestId: number) {
  const page = await loadHeldPage(core, listId, 1);
  const message = await loadHeldMessage(core, listId, requestId);
  expect(page.entries.map((e) => e.requestId)).toEqual([requestId]);
  return { queue: page.entries[0]!.reason, reasons: message?.reasons };
}

const member = () => `${uniqueName("member")}@people.example.test`;

describe("every reason the core holds a post for, in words on the queue and the message page", () => {
  it("a header filter with the action hold (the core sends a pair: template and header)", async () => {
    const poster = member();
    const { listId, posting } = await list({ poster });
    await addHeaderMatch(core, listId, { header: "subject", pattern: "buy-now", action: "hold" });
    const subject = `Buy-now ${uniqueName("s")}`;
    const requestId = await hold(listId, posting, { from: poster, subject });
    const raw = (await listHeld(core, listId, { count: 10, page: 1 })).entries[0]!.moderation_reasons;
    expect(raw).toEqual([['Header "{}" matched a header rule', `subject: ${subject}`]]);
    const text = `Header "subject: ${subject}" matched a header rule`;
    expect(await shown(listId, requestId)).toEqual({ queue: text, reasons: [text] });
  });

  it("emergency moderation", async () => {
    const poster = member();
    const { listId, posting } = await list({ poster, config: { emergency: true } });
    const requestId = await hold(listId, posting, { from: poster, subject: "Urgent" });
    const text = "Emergency moderation is in effect for this list";
    expect(await shown(listId, requestId)).toEqual({ queue: text, reasons: [text] });
  });

  it("a post larger than the list's maximum size (pair with a number)", async () => {
    const poster = member();
    const { listId, posting } = await list({ poster, config: { max_message_size: 1 } });
    const requestId = await hold(listId, posting, { from: poster, subject: "Large", body: "x".repeat(70).concat("\n").repeat(40) });
    const text = "The message is larger than the 1 KB maximum size";
    expect(await shown(listId, requestId)).toEqual({ queue: text, reasons: [text] });
  });

  it("too many recipients", async () => {
    const poster = member();
    const { listId, posting } = await list({ poster, config: { max_num_recipients: 2 } });
    const requestId = await hold(listId, posting, { from: poster, subject: "Many", cc: "a@outside.example, b@outside.example" });
    const text = "Message has more than 2 recipients";
    expect(await shown(listId, requestId)).toEqual({ queue: text, reasons: [text] });
  });

  it("a nonmember's post where nonmembers are held", async () => {
    const { listId, posting } = await list({ config: { default_nonmember_action: "hold" } });
    const requestId = await hold(listId, posting, { from: `${uniqueName("stranger")}@outside.example`, subject: "Hi" });
    const text = "The message is not from a list member";
    expect(await shown(listId, requestId)).toEqual({ queue: text, reasons: [text] });
  });

  it("a member whose moderation is set to hold", async () => {
    const poster = member();
    const { listId, posting } = await list({ poster });
    const entry = await senderEntry(core, listId, poster);
    await core.send("PATCH", `/members/${entry!.member_id}`, { moderation_action: "hold" });
    const requestId = await hold(listId, posting, { from: poster, subject: "Moderated" });
    const text = "The message comes from a moderated member";
    expect(await shown(listId, requestId)).toEqual({ queue: text, reasons: [text] });
  });

  it("an implicit destination (the list is in neither To nor Cc)", async () => {
    const poster = member();
    const { listId, posting } = await list({ poster });
    const requestId = await hold(listId, posting, { from: poster, to: "someone-else@outside.example", subject: "Bcc'd" });
    const text = "Message has implicit destination";
    expect(await shown(listId, requestId)).toEqual({ queue: text, reasons: [text] });
  });

  it("administrivia (an email command sent to the posting address)", async () => {
    const poster = member();
    const { listId, posting } = await list({ poster });
    const requestId = await hold(listId, posting, { from: poster, subject: "unsubscribe" });
    const text = "Message contains administrivia";
    expect(await shown(listId, requestId)).toEqual({ queue: text, reasons: [text] });
  });

  it("a suspicious header (the default bounce_matching_headers list a sender domain; pair)", async () => {
    const poster = `${uniqueName("member")}@uplinkpro.com`;
    const { listId, posting } = await list({ poster });
    const requestId = await hold(listId, posting, { from: poster, subject: "Suspicious" });
    const text = `Header "${poster}" matched a bounce_matching_header line`;
    expect(await shown(listId, requestId)).toEqual({ queue: text, reasons: [text] });
  });

  it("no subject", async () => {
    const poster = member();
    const { listId, posting } = await list({ poster });
    const requestId = await hold(listId, posting, { from: poster, subject: null });
    const text = "Message has no subject";
    expect(await shown(listId, requestId)).toEqual({ queue: text, reasons: [text] });
  });

  it("several reasons at once: each on its own line of the message page, joined on the queue", async () => {
    const poster = member();
    const { listId, posting } = await list({ poster, config: { max_num_recipients: 2 } });
    const requestId = await hold(listId, posting, { from: poster, to: "x@outside.example, y@outside.example", subject: null });
    const reasons = ["Message has implicit destination", "Message has more than 2 recipients", "Message has no subject"];
    expect(await shown(listId, requestId)).toEqual({ queue: reasons.join("; "), reasons });
  });
});
