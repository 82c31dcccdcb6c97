import { describe, expect, it } from "vitest";
import { waitForMail } from "@/scripts/lib/local-core";
import { testCore, uniqueName } from "@/tests/support/core";
import { composeMail } from "./compose";
import { sendMail } from "./mailer";

describe("sendMail", () => {
  it("delivers plain text with an HTML part to the SMTP sink, where tests read it back", async () => {
    const core = testCore();
    expect(core.smtpUrl, "this test needs the SMTP sink of the test core").not.toBe("");
    const to = `${uniqueName("m")}@people.example.test`;
    await sendMail(to, composeMail({ subject: "Hello from Listkeeper", paragraphs: ["First line."], action: { label: "Open", url: "http://localhost:3000/x" } }));
    const mail = await waitForMail(core.maildir, (m) => m.to.includes(to), 15_000);
    expect(mail.subject).toBe("Hello from Listkeeper");
    expect(mail.body).toContain("Open:\nhttp://localhost:3000/x");
    expect(mail.raw).toMatch(/multipart\/alternative/i);
    expect(mail.raw).toMatch(/text\/html/i);
  });
});
