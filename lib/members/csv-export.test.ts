import { describe, expect, it, vi } from "vitest";
import type { MailmanClient } from "@/lib/mailman";
import { csvField, csvLine, CSV_COLUMNS, exportFileName, memberCsvLine, neutraliseFormula, rosterCsvLines, rosterCsvStream } from "./csv-export";
import { restoreNeutralised } from "./csv-formula";
import { parseMassInput } from "./mass-input";
import { parseRosterQuery } from "./roster";

describe("CSV quoting (RFC 4180)", () => {
  it("quotes only what needs it and doubles quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\r")).toBe('"cr\r"');
    expect(csvField(" edge")).toBe('" edge"');
    expect(csvField("")).toBe("");
    expect(csvLine(["a", "b,c", ""])).toBe('a,"b,c",\r\n');
  });

  it("neutralises spreadsheet formulas in display names", () => {
    expect(neutraliseFormula("=HYPERLINK(\"x\")")).toBe("'=HYPERLINK(\"x\")");
    expect(neutraliseFormula("+1")).toBe("'+1");
    expect(neutraliseFormula("Jane")).toBe("Jane");
    expect(memberCsvLine({ email: "a@x", display_name: "=1+1", role: "member" }, "enabled")).toBe("a@x,'=1+1,member,,enabled,,,,,\r\n");
  });

  it("neutralises the address and every other cell, not only the display name", () => {
    const dde = "=cmd|'/Ccalc'!A0@evil.example";
    expect(memberCsvLine({ email: dde, display_name: "-2+3", role: "member" }, "enabled")).toBe(`'${dde},'-2+3,member,,enabled,,,,,\r\n`);
    expect(memberCsvLine({ email: "+1@x.example", display_name: "@SUM(A1)", role: "member" }, "enabled").startsWith("'+1@x.example,'@SUM(A1),")).toBe(true);
  });

  it("reads an exported address back without the apostrophe (mass subscribe and removal take the file as is)", () => {
    const dde = "=cmd|'/Ccalc'!A0@evil.example";
    const file = csvLine(CSV_COLUMNS) + memberCsvLine({ email: dde, display_name: "=Eve", role: "member" }, "enabled") + memberCsvLine({ email: "'quote@x.example", role: "member" }, "enabled");
    const parsed = parseMassInput(file, "csv");
    expect(parsed.entries.map((e) => [e.email, e.displayName])).toEqual([
      [dde, "=Eve"],
      ["'quote@x.example", null],
    ]);
    expect(restoreNeutralised("'x")).toBe("'x");
  });

  it("names the file after the list and role", () => {
    expect(exportFileName("ann.example.org", "member")).toBe("ann.example.org-members.csv");
    expect(exportFileName('we"ird/list', "owner")).toBe("we_ird_list-owners.csv");
  });
});

describe("streaming", () => {
  function pagedClient(total: number) {
    const requested: number[] = [];
    const client = {
      roster: async (_l: string, _r: string, { count, page }: { count: number; page: number }) => {
        requested.push(page);
        const from = (page - 1) * count;
        const entries = Array.from({ length: Math.max(0, Math.min(count, total - from)) }, (_, i) => ({
          email: `m${from + i}@x`,
          member_id: `id${from + i}`,
          role: "member" as const,
        }));
        return { start: from, total, entries };
      },
      findMembers: async (criteria: { deliveryStatus?: string }) =>
        criteria.deliveryStatus === "by_user" ? { start: 0, total: 1, entries: [{ member_id: "id3" }] } : { start: 0, total: 0, entries: [] },
    } as unknown as MailmanClient;
    return { client, requested };
  }

  it("pulls one page per read and stops at the end", async () => {
    const { client, requested } = pagedClient(7);
    const lines = rosterCsvLines(client, "l", parseRosterQuery({}), { pageSize: 3 });
    expect((await lines.next()).value).toMatch(/^email,display_name,/);
    expect(requested).toEqual([]);
    const first = (await lines.next()).value as string;
    expect(requested).toEqual([1]);
    expect(first.split("\r\n")).toHaveLength(4);
    expect(first).toContain("m0@x,,member,,enabled,");
    const rest: string[] = [];
    for await (const chunk of lines) rest.push(chunk);
    expect(requested).toEqual([1, 2, 3]);
    expect(rest.join("")).toContain("m3@x,,member,,by_user,");
  });

  it("serves the chunks as bytes and stops the generator when the download is cancelled", async () => {
    const { client, requested } = pagedClient(1000);
    const stream = rosterCsvStream(rosterCsvLines(client, "l", parseRosterQuery({}), { pageSize: 10 }));
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect(requested).toEqual([1]);
    const text = await new Response(rosterCsvStream(rosterCsvLines(pagedClient(4).client, "l", parseRosterQuery({}), { pageSize: 10 }))).text();
    expect(text.split("\r\n")).toHaveLength(6);
  });

  it("writes and logs nothing when a page arrives after the client has gone", async () => {
    let release: (value: string) => void = () => {};
    const late = new Promise<string>((resolve) => (release = resolve));
    const steps: string[] = [];
    async function* lines() {
      try {
        yield "header\r\n";
        yield await late;
        steps.push("asked for a third page");
        yield "never\r\n";
      } finally {
        steps.push("stopped");
      }
    }
    const onError = vi.fn();
    const reader = rosterCsvStream(lines(), onError).getReader();
    await reader.read();
    const pending = reader.read();
    await reader.cancel();
    release("late page\r\n");
    await pending;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(onError).not.toHaveBeenCalled();
    expect(steps).toEqual(["stopped"]);
  });

  it("closes and stops the generator when the request is aborted", async () => {
    const { client, requested } = pagedClient(1000);
    const abort = new AbortController();
    const onError = vi.fn();
    const reader = rosterCsvStream(rosterCsvLines(client, "l", parseRosterQuery({}), { pageSize: 10 }), onError, abort.signal).getReader();
    await reader.read();
    await reader.read();
    abort.abort();
    expect(await reader.read()).toEqual({ done: true, value: undefined });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(requested).toEqual([1]);
    expect(onError).not.toHaveBeenCalled();
  });
});
