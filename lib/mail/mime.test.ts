import { describe, expect, it } from "vitest";
import { attachmentContent, attachmentDisposition, decodeHeaderWords, headerValue, htmlToText, MAX_HTML_INPUT, parseStructuredHeader, readMessage, safeFilename } from "./mime";

const crlf = (lines: string[]) => lines.join("\r\n");

describe("decodeHeaderWords", () => {
  it("decodes B and Q words in several charsets and joins adjacent words", () => {
    expect(decodeHeaderWords("=?utf-8?b?SGVsbG8gw6l0w6k=?=")).toBe("Hello été");
    expect(decodeHeaderWords("=?ISO-8859-1?Q?caf=E9_cr=E8me?=")).toBe("café crème");
    expect(decodeHeaderWords("=?utf-8?q?a?= =?utf-8?q?b?= and =?utf-8?q?c?=")).toBe("ab and c");
    expect(decodeHeaderWords("=?utf-8*en?q?x?=")).toBe("x");
    expect(decodeHeaderWords("plain =?bogus-charset?q?ok?=")).toBe("plain ok");
  });
});

describe("parseStructuredHeader", () => {
  it("reads quoted values with semicolons, RFC 2231 and continuations", () => {
    expect(parseStructuredHeader('text/plain; charset="UTF-8"; name="a;b.txt"')).toEqual({ value: "text/plain", params: { charset: "UTF-8", name: "a;b.txt" } });
    expect(parseStructuredHeader("attachment; filename*=utf-8''na%C3%AFve%20plan.pdf").params.filename).toBe("naïve plan.pdf");
    expect(parseStructuredHeader("attachment; filename*0*=utf-8''long%20; filename*1=name.txt").params.filename).toBe("long name.txt");
    expect(parseStructuredHeader('attachment; filename="=?utf-8?q?r=C3=A9sum=C3=A9.pdf?="').params.filename).toBe("résumé.pdf");
  });
});

describe("readMessage", () => {
  it("reads a simple 8-bit UTF-8 message as the core returns it (text, not bytes)", () => {
    const message = readMessage(
      crlf(["From: Ann <ann@example.org>", "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "", "Grüße aus Köln", ""]),
    );
    expect(headerValue(message.headers, "subject")).toBe("Grüße");
    expect(headerValue(message.headers, "FROM")).toBe("Ann <ann@example.org>");
    expect(message.text).toBe("Grüße aus Köln");
    expect(message.textSource).toBe("plain");
    expect(message.attachments).toEqual([]);
  });

  it("defaults to text/plain and unfolds headers", () => {
    const message = readMessage("Subject: a\n  folded line\nX-Other: 1\n\nbody\n");
    expect(headerValue(message.headers, "subject")).toBe("a folded line");
    expect(message.text).toBe("body");
  });

  it("prefers the text alternative, lists and decodes attachments", () => {
    const raw = crlf([
      "From: bob@example.org",
      "Content-Type: multipart/mixed; boundary=\"outer\"",
      "",
      "preamble",
      "--outer",
      "Content-Type: multipart/alternative; boundary=inner",
      "",
      "--inner",
      "Content-Type: text/plain; charset=iso-8859-1",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "Caf=E9 at 10=",
      ", bring the plan   ",
      "--inner",
      "Content-Type: text/html; charset=utf-8",
      "",
      "<p>Café <b>at</b> 10</p>",
      "--inner--",
      "--outer",
      "Content-Type: application/pdf; name=\"plan.pdf\"",
      "Content-Disposition: attachment; filename=\"../../etc/plan.pdf\"",
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from("%PDF-1.4 fake").toString("base64"),
      "--outer",
      "Content-Type: text/html",
      "Content-Disposition: attachment; filename=evil.html",
      "",
      "<script>alert(1)</script>",
      "--outer--",
      "epilogue",
    ]);
    const message = readMessage(raw);
    expect(message.text).toBe("Café at 10, bring the plan");
    expect(message.textSource).toBe("plain");
    expect(message.attachments).toEqual([
      { index: 0, filename: "plan.pdf", mediaType: "application/pdf", size: 13 },
      { index: 1, filename: "evil.html", mediaType: "text/html", size: 25 },
    ]);
    expect(attachmentContent(raw, 0)?.bytes.toString()).toBe("%PDF-1.4 fake");
    expect(attachmentContent(raw, 1)).toMatchObject({ filename: "evil.html", mediaType: "text/html" });
    expect(attachmentContent(raw, 2)).toBeNull();
  });

  it("renders an HTML-only message as plain text, never as markup", () => {
    const raw = crlf([
      "Content-Type: text/html; charset=utf-8",
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from('<html><head><title>t</title><style>p{}</style></head><body><p>Hi &amp; welcome</p><script>steal()</script><a href="https://evil.example/x">https://bank.example</a><img src=x onerror=alert(1)></body></html>').toString("base64"),
    ]);
    const message = readMessage(raw);
    expect(message.textSource).toBe("html");
    expect(message.text).toBe("Hi & welcome\n\nhttps://bank.example (https://evil.example/x)");
    expect(message.text).not.toMatch(/steal|<|onerror/);
  });

  it("reads a large HTML-only post with unclosed tags in linear time, cutting it where it nests too deep", () => {
    // 2 MB of markup whose <a>, <b> and <i> never close, and stray "<": the regex reducer this
    // replaced scanned to the end of the text from each <a> (quadratic: minutes of CPU).
    const unit = '<p>Offer <a href="https://evil.example/go">https://bank.example <b>now <i>more < ';
    const html = `<html><body><h1>Big sale</h1>${unit.repeat(Math.ceil(2_000_000 / unit.length))}`;
    const started = performance.now();
    const message = readMessage(crlf(["Content-Type: text/html; charset=utf-8", "", html]));
    const ms = performance.now() - started;
    expect(message.textSource).toBe("html");
    const lines = message.text.split("\n\n");
    expect(lines[0]).toBe("Big sale");
    expect(lines[1]).toBe("Offer https://bank.example now more <");
    // Each unclosed <a> holds the rest of the text; its target follows where it ends.
    expect(message.text).toContain("(https://evil.example/go)");
    expect(message.text).not.toMatch(/<a|<b|<p|<i/);
    expect(lines.at(-1)).toMatch(/^\[The rest of this HTML part \(about 2\.0 MB\) is not shown: its elements nest more than 400 deep\.\]$/);
    // Generous: the bounded parse takes a few milliseconds; the old code took minutes.
    expect(ms).toBeLessThan(5_000);
  });

  it("parses at most MAX_HTML_INPUT characters of a large, well-formed HTML part", () => {
    const html = `<div>${"<p>Paragraph with <b>bold</b> text.</p>".repeat(Math.ceil(2_000_000 / 40))}</div>`;
    const started = performance.now();
    const text = htmlToText(html);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(text.startsWith("Paragraph with bold text.\n\nParagraph with bold text.")).toBe(true);
    expect(text.length).toBeLessThan(MAX_HTML_INPUT);
    expect(text).toMatch(/\n\n\[The rest of this HTML part \(about 1\.5 MB\) is not shown\.\]$/);
  });

  it("keeps the text above 160,000 never-closed elements and stops before the parser's quadratic stack", () => {
    const started = performance.now();
    const text = htmlToText(`<p>Visible</p>${"<b>".repeat(160_000)}hidden`);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(text).toMatch(/^Visible\n\n\[The rest of this HTML part \(about \d+ KB\) is not shown: its elements nest more than 400 deep\.\]$/);
  });

  it("reads long runs of blanks in linear time (quoted-printable padding, whitespace before the end)", () => {
    // Both were `[ \t]+(?=\n)` / `\s+$` over the body: each blank started a scan of the whole run.
    const blanks = " ".repeat(200_000);
    const started = performance.now();
    const qp = readMessage(crlf(["Content-Type: text/plain", "Content-Transfer-Encoding: quoted-printable", "", `a${blanks}b=3D${blanks}`, "c  ", ""]));
    const folded = readMessage(crlf(["Content-Type: text/plain", "", `${"\r\n ".repeat(100_000)}x`, "", ""]));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(qp.text).toBe(`a${blanks}b=\nc`);
    expect(folded.text.trim()).toBe("x");
  });

  it("survives a missing closing boundary and a body-less message", () => {
    const message = readMessage(crlf(["Content-Type: multipart/mixed; boundary=b", "", "--b", "Content-Type: text/plain", "", "cut off"]));
    expect(message.text).toBe("cut off");
    expect(readMessage("Subject: x\n").textSource).toBe("plain");
    expect(readMessage(crlf(["Content-Type: image/png", "Content-Transfer-Encoding: base64", "", "iVBORw0KGgo="])).textSource).toBe("none");
  });

  it("treats a forwarded message/rfc822 part as an attachment", () => {
    const raw = crlf(["Content-Type: multipart/mixed; boundary=z", "", "--z", "", "see attached", "--z", "Content-Type: message/rfc822", "", "Subject: inner", "", "inner body", "--z--"]);
    const message = readMessage(raw);
    expect(message.text).toBe("see attached");
    expect(message.attachments).toMatchObject([{ filename: "attachment-1.eml", mediaType: "message/rfc822" }]);
  });
});

describe("htmlToText", () => {
  it("keeps block structure, decodes entities, drops comments and tags with '>' in attributes", () => {
    expect(htmlToText('<div title="a>b">one</div><!-- <p>hidden</p> --><ul><li>x</li><li>y</li></ul>two<br>three &#x263A; &#169; &bogus;')).toBe(
      "one\n• x\n• y\n\ntwo\nthree ☺ © &bogus;",
    );
  });

  it("leaves escaped markup as literal text (the caller escapes it again on output)", () => {
    expect(htmlToText("&lt;script&gt;alert(1)&lt;/script&gt;")).toBe("<script>alert(1)</script>");
  });

  it("drops an unterminated script to the end", () => {
    expect(htmlToText("ok<script>never")).toBe("ok");
  });
});

describe("safeFilename", () => {
  it("drops paths and odd characters and falls back to a generic name", () => {
    expect(safeFilename("C:\\Users\\x\\report.doc", 0, "application/msword")).toBe("report.doc");
    expect(safeFilename('a"b\r\nc.txt', 0, "text/plain")).toBe("a_b_c.txt");
    expect(safeFilename("...", 2, "application/octet-stream")).toBe("attachment-3.bin");
    expect(safeFilename(undefined, 0, "text/plain")).toBe("attachment-1.txt");
  });
});

describe("attachmentDisposition", () => {
  it("always says attachment, with an ASCII fallback and the UTF-8 name", () => {
    expect(attachmentDisposition("plan.pdf")).toBe(`attachment; filename="plan.pdf"; filename*=UTF-8''plan.pdf`);
    expect(attachmentDisposition("résumé (1).pdf")).toBe(`attachment; filename="r_sum_ (1).pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%281%29.pdf`);
    expect(attachmentDisposition('a";b.html')).toMatch(/^attachment; filename="a__b.html"; /);
  });
});
