import { MailmanClient } from "../lib/mailman";
import { addHeaderMatch } from "../lib/mailman/header-matches";
import { countHeld, injectMessage, listHeld } from "../lib/mailman/held";
import { countRequests, listRequests, moderateRequest } from "../lib/mailman/requests";
import { core, expect, people, seeded, signIn, test, uniqueName } from "./fixtures";

const client = () => new MailmanClient({ baseUrl: core.restUrl, user: core.user, password: core.password });
const pre = { preVerified: true, preConfirmed: true, preApproved: true } as const;

async function freshList(prefix: string, config: Record<string, unknown>): Promise<{ listId: string; posting: string }> {
  const mailman = client();
  const posting = `${uniqueName(prefix)}@${seeded.domain}`;
  const listId = await mailman.createList({ fqdnListname: posting });
  await mailman.subscribe({ listId, subscriber: people.owner.email, role: "owner", ...pre });
  // The moderation specs act as a moderator who is nothing more: not an owner, not a superuser.
  await mailman.subscribe({ listId, subscriber: people.moderator.email, role: "moderator", ...pre });
  await mailman.patchListConfig(listId, config);
  return { listId, posting };
}

function message(from: string, to: string, subject: string, contentType: string, body: string): string {
  return [`From: ${from}`, `To: ${to}`, `Subject: ${subject}`, `Message-ID: <${uniqueName("m")}@outside.example>`, "MIME-Version: 1.0", `Content-Type: ${contentType}`, "", body, ""].join("\n");
}

async function waitHeld(listId: string, count: number): Promise<void> {
  await expect.poll(() => countHeld(client(), listId), { timeout: 30_000 }).toBe(count);
}

test("the held queue works with a header-filter hold in it (the core sends that reason as a pair)", async ({ page }) => {
  const { listId, posting } = await freshList("hf-", {});
  const poster = `${uniqueName("poster")}@people.example`;
  await client().subscribe({ listId, subscriber: poster, ...pre });
  await addHeaderMatch(client(), listId, { header: "subject", pattern: "buy-now", action: "hold" });
  await client().patchListConfig(listId, { default_nonmember_action: "hold" });
  const filtered = `Buy-now ${uniqueName("s")}`;
  const stranger = `Hello ${uniqueName("s")}`;
  await injectMessage(client(), listId, message(poster, posting, filtered, "text/plain; charset=utf-8", "Cheap things."));
  await injectMessage(client(), listId, message("stranger@outside.example", posting, stranger, "text/plain; charset=utf-8", "Hi."));
  await waitHeld(listId, 2);

  await signIn(page, people.owner);
  await page.goto(`/lists/${seeded.targetId}/${listId}/held`);
  await expect(page.getByText("1–2 of 2 held messages")).toBeVisible();
  const filteredRow = page.getByRole("row").filter({ hasText: filtered });
  await expect(filteredRow).toContainText(`Header "subject: ${filtered}" matched a header rule`);
  await expect(page.getByRole("row").filter({ hasText: stranger })).toContainText("The message is not from a list member");
  // The sender may wrap before its "@", never in the middle of a word.
  const senderCell = filteredRow.getByTestId("held-row-sender");
  await expect(senderCell).toHaveText(poster);
  expect(await senderCell.evaluate((el) => getComputedStyle(el).wordBreak)).not.toBe("break-all");
  expect(await senderCell.locator("wbr").count()).toBeGreaterThan(0);

  await filteredRow.getByRole("link", { name: filtered }).click();
  await expect(page.getByTestId("held-reasons")).toHaveText(`Header "subject: ${filtered}" matched a header rule`);
  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: "Discard", exact: true }).click();
  await expect(page.getByTestId("held-notice")).toBeVisible();
  await expect(page.getByText("1–1 of 1 held messages")).toBeVisible();
  await expect(page.getByRole("link", { name: stranger })).toBeVisible();
});

test("a moderator reads held messages safely, accepts one and discards another in bulk", async ({ page }) => {
  const { listId, posting } = await freshList("held-", { default_nonmember_action: "hold" });
  await client().subscribe({ listId, subscriber: `${uniqueName("reader")}@people.example`, ...pre });
  const plainSubject = `Plain ${uniqueName("s")}`;
  const htmlSubject = `Html ${uniqueName("s")}`;
  await injectMessage(
    client(),
    listId,
    message(
      "stranger@outside.example",
      posting,
      plainSubject,
      'multipart/mixed; boundary="b1"',
      ["--b1", "Content-Type: text/plain; charset=utf-8", "", "Please publish this.", "--b1", 'Content-Type: application/pdf; name="plan.pdf"', 'Content-Disposition: attachment; filename="plan.pdf"', "Content-Transfer-Encoding: base64", "", Buffer.from("%PDF-1.4").toString("base64"), "--b1--"].join("\n"),
    ),
  );
  await injectMessage(
    client(),
    listId,
    message("spammer@outside.example", posting, htmlSubject, "text/html; charset=utf-8", '<p>Click <a href="https://evil.example/">here</a></p><script>window.__pwned = true</script><img src=x onerror="window.__pwned = true">'),
  );
  await waitHeld(listId, 2);

  await signIn(page, people.moderator);
  await page.goto(`/lists/${seeded.targetId}/${listId}/held`);
  await expect(page.getByText("1–2 of 2 held messages")).toBeVisible();

  // The HTML-only message is shown as text; nothing in it runs.
  await page.getByRole("link", { name: htmlSubject }).click();
  await expect(page.getByTestId("held-text")).toHaveText("Click here (https://evil.example/)");
  await expect(page.getByText("This message has only an HTML part.")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
  await page.getByRole("link", { name: "← Back to held messages" }).click();

  // Open the plain one: headers, text, attachments; then accept it.
  await page.getByRole("link", { name: plainSubject }).click();
  await expect(page.getByTestId("held-sender")).toHaveText("stranger@outside.example");
  await expect(page.getByTestId("held-text")).toHaveText("Please publish this.");
  await expect(page.getByText("plan.pdf", { exact: true })).toBeVisible();
  const download = page.getByRole("link", { name: "Download" });
  const response = await page.request.get((await download.getAttribute("href"))!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/octet-stream");
  expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="plan.pdf"/);
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  expect(await response.text()).toBe("%PDF-1.4");

  // The buttons act only once React has hydrated the page; a click before that is lost.
  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: "Accept", exact: true }).click();
  // The message is gone, so the page goes back to the queue, which says what was done.
  await expect(page).toHaveURL(new RegExp(`/lists/${seeded.targetId}/${listId.replace(/\./g, "\\.")}/held\\?done=accept&`));
  await expect(page.getByTestId("held-notice")).toHaveText("Accepted: the message goes on to the list.");
  await expect(page.getByRole("status").filter({ hasText: plainSubject })).toContainText("Accepted: the message goes on to the list.");
  await expect(page.getByText("1–1 of 1 held messages")).toBeVisible();
  await expect(page.getByRole("link", { name: plainSubject })).toHaveCount(0);
  await waitHeld(listId, 1);

  // Bulk: select the other one and discard it, with a result per message.
  await page.getByRole("checkbox", { name: `Select ${htmlSubject}` }).check();
  await page.getByRole("group", { name: "Bulk actions" }).getByRole("button", { name: "Discard", exact: true }).click();
  const results = page.getByRole("status", { name: "Results" });
  await expect(results).toContainText("Discard: 1 done");
  await expect(results.getByTestId("result-item")).toContainText(htmlSubject);
  await expect(page.getByText("No held messages")).toBeVisible();
  expect(await countHeld(client(), listId)).toBe(0);
});

test("a reject reason and a message already handled by someone else", async ({ page }) => {
  const { listId, posting } = await freshList("held-", { default_nonmember_action: "hold" });
  const subject = `Twice ${uniqueName("s")}`;
  await injectMessage(client(), listId, message("someone@outside.example", posting, subject, "text/plain", "Hi."));
  await waitHeld(listId, 1);
  await signIn(page, people.moderator);
  await page.goto(`/lists/${seeded.targetId}/${listId}/held`);
  await page.getByRole("checkbox", { name: `Select ${subject}` }).check();

  // Another moderator handles it first.
  const [held] = (await listHeld(client(), listId, { count: 10, page: 1 })).entries;
  await client().send("POST", `/lists/${listId}/held/${held!.request_id}`, { action: "discard" });

  const bulk = page.getByRole("group", { name: "Bulk actions" });
  await bulk.getByLabel("Reason").fill("Off topic");
  await bulk.getByRole("button", { name: "Reject", exact: true }).click();
  await expect(page.getByRole("status", { name: "Results" })).toContainText("Reject: 0 done, 1 already handled");
  await expect(page.getByText(/No longer held: someone else already handled it/)).toBeVisible();
});

test("a moderator approves a subscription request; a replaced token is reported plainly", async ({ page }) => {
  const { listId } = await freshList("req-", { subscription_policy: "moderate" });
  const mailman = client();
  const first = `${uniqueName("sub")}@people.example`;
  const second = `${uniqueName("sub")}@people.example`;
  for (const email of [first, second]) {
    const result = await mailman.subscribe({ listId, subscriber: email, preVerified: true, preConfirmed: true });
    expect(result.kind).toBe("pending");
  }

  await signIn(page, people.moderator);
  await page.goto(`/lists/${seeded.targetId}/${listId}/requests`);
  await expect(page.getByRole("link", { name: /Awaiting approval/ })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("cell", { name: first, exact: true })).toBeVisible();

  await page.getByRole("button", { name: `Accept ${first}` }).click();
  await expect(page.getByText(`Approved: ${first} is subscribed.`)).toBeVisible();
  await expect(page.getByRole("cell", { name: first, exact: true })).toHaveCount(0);
  const members = await mailman.findMembers({ listId, subscriber: first, role: "member" }, { count: 1, page: 1 });
  expect(members.total).toBe(1);

  // Someone else discards the second request while it is on screen.
  const [pending] = (await listRequests(mailman, listId, { tokenOwner: "moderator" }, { count: 10, page: 1 })).entries;
  await moderateRequest(mailman, listId, pending!.token, "discard");
  await page.getByRole("button", { name: `Accept ${second}` }).click();
  await expect(page.getByText(/This request was already handled or replaced \(the core gave it a new token\); the list was refreshed\./)).toBeVisible();
  await expect(page.getByText("No pending requests")).toBeVisible();
  expect(await countRequests(mailman, listId, { tokenOwner: "moderator" })).toBe(0);
  // Moderating is all this account may do here: the list's settings are its owners'.
  expect((await page.goto(`/lists/${seeded.targetId}/${listId}/settings`))?.status()).toBe(403);
});

test("a plain member cannot reach a list's moderation pages", async ({ page }) => {
  const { listId } = await freshList("mod-", {});
  await signIn(page, people.member);
  for (const path of ["held", "requests"]) {
    const response = await page.goto(`/lists/${seeded.targetId}/${listId}/${path}`);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByTestId("forbidden")).toBeVisible();
  }
  const api = await page.request.get(`/lists/${seeded.targetId}/${listId}/badges`);
  expect(api.status()).toBe(403);
  const attachment = await page.request.get(`/lists/${seeded.targetId}/${listId}/held/1/attachments/0`);
  expect(attachment.status()).toBe(403);
});
