import { describe, expect, it } from "vitest";
import { confirmLinkTemplate, formAge, issueFormStamp, subscribeTemplateText } from "./anonymous";

describe("form stamps", () => {
  it("tell the form's age and refuse forged or altered stamps", () => {
    const now = Date.now();
    const stamp = issueFormStamp(now - 5000);
    expect(formAge(stamp, now)).toBe(5);
    const [at, mac] = stamp.split(".");
    expect(formAge(`${Number(at) - 100}.${mac}`, now)).toBeNull();
    expect(formAge("123.abc", now)).toBeNull();
    expect(formAge("nonsense", now)).toBeNull();
  });
});

describe("confirmation template", () => {
  it("links to Listkeeper's confirm page and keeps the core's reply-to-confirm text", () => {
    expect(confirmLinkTemplate(7, "https://lists.example.org/")).toBe("https://lists.example.org/confirm/7?list=$listname&token=$token");
    expect(subscribeTemplateText(7, "https://lists.example.org")).toContain("confirm $token");
  });
});
