import { describe, expect, it } from "vitest";
import { appLink, composeMail } from "./compose";

describe("composeMail", () => {
  it("writes the link in the text part and escapes everything in the HTML part", () => {
    const mail = composeMail({
      subject: "Confirm\r\nBcc: x@evil.test",
      paragraphs: ["Hello <b>Ann</b> & co"],
      action: { label: "Confirm your address", url: "http://localhost:3000/verify?token=a&b=<c>" },
      footer: "You got this because someone signed up.",
    });
    expect(mail.subject).toBe("Confirm Bcc: x@evil.test");
    expect(mail.text).toContain("Confirm your address:\nhttp://localhost:3000/verify?token=a&b=<c>");
    expect(mail.text).toContain("-- \nYou got this");
    expect(mail.html).toContain("Hello &lt;b&gt;Ann&lt;/b&gt; &amp; co");
    expect(mail.html).toContain('href="http://localhost:3000/verify?token=a&amp;b=&lt;c&gt;"');
    expect(mail.html).not.toContain("<b>");
  });
});

describe("appLink", () => {
  it("builds links on the public origin with encoded parameters", () => {
    expect(appLink("http://localhost:3000/", "/verify-email", { token: "a b+c" })).toBe("http://localhost:3000/verify-email?token=a+b%2Bc");
  });
});
