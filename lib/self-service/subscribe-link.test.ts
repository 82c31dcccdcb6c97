import { describe, expect, it } from "vitest";
import { issueSubscribeToken, readSubscribeToken, SUBSCRIBE_LINK_LIFE_SECONDS, subscribeLinkMail } from "./subscribe-link";

const grant = { targetId: 4, listId: "news.lists.example.org", email: "Ann@Example.org" };

describe("Listkeeper's own subscription confirmation links", () => {
  it("carry the server, list and lower-cased address, and stop working when altered or expired", () => {
    const now = Date.now();
    const token = issueSubscribeToken(grant, now);
    expect(readSubscribeToken(token, now)).toEqual({ targetId: 4, listId: "news.lists.example.org", email: "ann@example.org" });
    const [payload, mac] = token.split(".") as [string, string];
    const other = Buffer.from(Buffer.from(payload, "base64url").toString("utf8").replace("news", "spam"), "utf8").toString("base64url");
    expect(readSubscribeToken(`${other}.${mac}`, now)).toBeNull();
    expect(readSubscribeToken(`${payload}.${"A".repeat(43)}`, now)).toBeNull();
    expect(readSubscribeToken(token, now + (SUBSCRIBE_LINK_LIFE_SECONDS + 1) * 1000)).toBeNull();
    expect(readSubscribeToken("0123456789abcdef0123456789abcdef01234567", now)).toBeNull();
  });

  it("are mailed as plain text with a short HTML part, linking to the confirm page on AUTH_URL", () => {
    const mail = subscribeLinkMail({ ...grant, email: "ann@example.org" }, "abc.def", "https://lists.example.org/");
    expect(mail.subject).toBe("Confirm your subscription to news.lists.example.org");
    expect(mail.text).toContain("https://lists.example.org/confirm/4?list=news.lists.example.org&token=abc.def");
    expect(mail.html).toContain('<a href="https://lists.example.org/confirm/4?list=news.lists.example.org&amp;token=abc.def">');
  });
});
