import { describe, expect, it } from "vitest";
import { MailmanError } from "@/lib/mailman";
import { isTemplateFetchFailure } from "./subscriptions";

const coreError = (status: number, description: string) => new MailmanError({ status, title: `${status} Bad Request`, description, method: "POST", path: "/members" });

describe("isTemplateFetchFailure", () => {
  it("recognises the core's answer when the welcome text could not be fetched from the template endpoint", () => {
    const refused =
      "HTTPConnectionPool(host='127.0.0.1', port=39569): Max retries exceeded with url: /api/templates/1/list/a.example.org/list%3Auser%3Anotice%3Awelcome (Caused by NewConnectionError('Connection refused'))";
    expect(isTemplateFetchFailure(coreError(400, refused))).toBe(true);
    expect(isTemplateFetchFailure(coreError(500, refused))).toBe(true);
  });

  it("leaves every other refusal alone", () => {
    expect(isTemplateFetchFailure(coreError(400, "Member already subscribed"))).toBe(false);
    expect(isTemplateFetchFailure(coreError(400, "Invalid email address"))).toBe(false);
    expect(isTemplateFetchFailure(new Error("HTTPConnectionPool"))).toBe(false);
  });
});
