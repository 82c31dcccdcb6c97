import { describe, expect, it } from "vitest";
import { inRanges, parseIp, parseIpRange } from "./ip-address";

describe("IP ranges", () => {
  it("parses addresses and CIDR ranges strictly", () => {
    expect(parseIpRange("10.0.0.0/8")?.[1]).toBe(8);
    expect(parseIpRange("::1")?.[1]).toBe(128);
    expect(parseIpRange("[2001:db8::1]")?.[1]).toBe(128);
    for (const bad of ["1.2.3", "10.0.0.0/33", "10.0.0.0/x", "example.org", ""]) expect(parseIpRange(bad), bad).toBeNull();
  });

  it("matches IPv4-mapped IPv6 against IPv4 ranges", () => {
    const ranges = [parseIpRange("127.0.0.0/8")!, parseIpRange("fd00::/8")!];
    expect(inRanges(parseIp("::ffff:127.0.0.1")!, ranges)).toBe(true);
    expect(inRanges(parseIp("fd12::5")!, ranges)).toBe(true);
    expect(inRanges(parseIp("128.0.0.1")!, ranges)).toBe(false);
  });
});
