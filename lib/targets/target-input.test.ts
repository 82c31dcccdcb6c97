import { describe, expect, it } from "vitest";
import {
  columnToWelcomeChoice,
  connectionTestSchema,
  createTargetSchema,
  restUrlSchema,
  updateTargetSchema,
  welcomeChoiceToColumn,
  welcomeMessageChoices,
} from "./target-input";

const valid = {
  name: "  Production ",
  serverUrl: " http://127.0.0.1:8001 ",
  adminUser: "restadmin",
  adminPassword: "restpass",
  domain: "  Lists.Example.ORG ",
};

/** The first message per field: the one a form (zodResolver) shows. */
function fieldErrors(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  const errors: Record<string, string> = {};
  for (const issue of result.error?.issues ?? []) errors[String(issue.path[0])] ??= issue.message;
  return errors;
}

describe("createTargetSchema", () => {
  it("trims, normalises the domain and applies the safe provisioning defaults", () => {
    expect(createTargetSchema.parse(valid)).toEqual({
      name: "Production",
      description: "",
      serverUrl: "http://127.0.0.1:8001",
      adminUser: "restadmin",
      adminPassword: "restpass",
      domain: "lists.example.org",
      prefEmailType: null,
      unmanagedEmailMode: "remove",
      addressConflictMode: "fail",
      userCreation: "lazy",
      welcomeMessage: "suppress",
      quietUnsubscribe: true,
      syncDisplayName: true,
      deleteStaleAddresses: true,
      mode: "automatic",
      retryIntervalS: 900,
      maxRetry: 5,
    });
  });

  it("refuses a retry interval or attempts outside what the API allows, in words", () => {
    const interval = createTargetSchema.safeParse({ ...valid, retryIntervalS: 0 });
    expect(interval.success).toBe(false);
    expect(interval.error?.issues[0]?.message).toBe("Wait at least 1 second.");
    const empty = createTargetSchema.safeParse({ ...valid, maxRetry: Number.NaN });
    expect(empty.error?.issues[0]?.message).toBe("Enter a number of attempts.");
    expect(createTargetSchema.safeParse({ ...valid, mode: "sometimes" }).success).toBe(false);
    expect(createTargetSchema.parse({ ...valid, mode: "queue_on_error", retryIntervalS: 60, maxRetry: 3 })).toMatchObject({ mode: "queue_on_error", retryIntervalS: 60, maxRetry: 3 });
  });

  it("keeps the policy choices it is given and turns an empty email type into null", () => {
    const parsed = createTargetSchema.parse({
      ...valid,
      prefEmailType: "",
      unmanagedEmailMode: "ignore",
      addressConflictMode: "absorb",
      userCreation: "all_active",
      welcomeMessage: "list_default",
      quietUnsubscribe: false,
      syncDisplayName: false,
      deleteStaleAddresses: false,
    });
    expect(parsed).toMatchObject({
      prefEmailType: null,
      unmanagedEmailMode: "ignore",
      addressConflictMode: "absorb",
      userCreation: "all_active",
      welcomeMessage: "list_default",
      quietUnsubscribe: false,
      syncDisplayName: false,
      deleteStaleAddresses: false,
    });
    expect(createTargetSchema.parse({ ...valid, prefEmailType: " official " }).prefEmailType).toBe("official");
  });

  it("explains every missing required field", () => {
    const errors = fieldErrors(createTargetSchema.safeParse({ name: " ", serverUrl: "", adminUser: "", adminPassword: "", domain: "" }));
    expect(errors).toMatchObject({
      name: "Give the server a name.",
      serverUrl: "Enter the REST URL of the Mailman core.",
      adminUser: expect.stringMatching(/admin user/),
      adminPassword: expect.stringMatching(/admin password/),
      domain: "Enter a domain name.",
    });
  });

  it("rejects a domain the core would accept but mail cannot use", () => {
    expect(fieldErrors(createTargetSchema.safeParse({ ...valid, domain: "bad domain" })).domain).toMatch(/spaces/);
    expect(fieldErrors(createTargetSchema.safeParse({ ...valid, domain: "localhost" })).domain).toMatch(/full domain name/);
  });

  it("rejects unknown policy values", () => {
    expect(createTargetSchema.safeParse({ ...valid, addressConflictMode: "steal" }).success).toBe(false);
    expect(createTargetSchema.safeParse({ ...valid, welcomeMessage: "maybe" }).success).toBe(false);
    expect(createTargetSchema.safeParse({ ...valid, userCreation: "eager" }).success).toBe(false);
  });
});

describe("restUrlSchema", () => {
  it.each(["http://127.0.0.1:8001", "https://mailman.example.org/rest", "http://localhost:9001/"])("accepts %j", (url) => {
    expect(restUrlSchema.safeParse(url).success).toBe(true);
  });

  it.each([
    ["127.0.0.1:8001", /http:\/\/ or https:\/\//],
    ["ftp://mailman.example.org", /http:\/\/ or https:\/\//],
    ["not a url", /http:\/\/ or https:\/\//],
    ["http://restadmin:restpass@127.0.0.1:8001", /credentials/],
    ["http://127.0.0.1:8001/?x=1", /query/],
    ["http://127.0.0.1:8001/#top", /fragment/],
  ])("rejects %j", (url, message) => {
    const result = restUrlSchema.safeParse(url);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });
});

describe("updateTargetSchema", () => {
  it("needs the id and lets the password stay empty (keep the stored one)", () => {
    const { adminPassword: _omit, ...withoutPassword } = valid;
    expect(updateTargetSchema.parse({ ...withoutPassword, id: 3 }).adminPassword).toBe("");
    expect(updateTargetSchema.parse({ ...valid, id: 3, adminPassword: "" }).adminPassword).toBe("");
    expect(updateTargetSchema.safeParse(valid).success).toBe(false);
    expect(updateTargetSchema.safeParse({ ...valid, id: 0 }).success).toBe(false);
  });
});

describe("connectionTestSchema", () => {
  it("accepts stored-password tests of a saved target and typed-in credentials", () => {
    expect(connectionTestSchema.parse({ id: 4, serverUrl: "http://127.0.0.1:8001", adminUser: "restadmin" })).toEqual({
      id: 4,
      serverUrl: "http://127.0.0.1:8001",
      adminUser: "restadmin",
      adminPassword: "",
    });
    expect(connectionTestSchema.safeParse({ serverUrl: "http://127.0.0.1:8001", adminUser: " ", adminPassword: "x" }).success).toBe(false);
  });
});

describe("welcome message column", () => {
  it("maps the three choices to the nullable column and back", () => {
    expect(welcomeChoiceToColumn("list_default")).toBeNull();
    expect(welcomeChoiceToColumn("send")).toBe(true);
    expect(welcomeChoiceToColumn("suppress")).toBe(false);
    for (const choice of welcomeMessageChoices) expect(columnToWelcomeChoice(welcomeChoiceToColumn(choice))).toBe(choice);
  });
});
