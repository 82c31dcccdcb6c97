import ipaddr from "ipaddr.js";

/**
 * IP addresses and ranges (pure). Node reports IPv4 clients of a dual-stack socket as
 * IPv4-mapped IPv6 (`::ffff:192.0.2.1`); every address here is normalised to plain IPv4 then.
 */

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;
export type IpRange = [IpAddress, number];

/** A strictly written IPv4 (four decimal parts) or IPv6 address, normalised; null otherwise. */
export function parseIp(text: string): IpAddress | null {
  const value = text.trim().replace(/^\[(.*)\]$/, "$1");
  if (!ipaddr.IPv4.isValidFourPartDecimal(value) && !ipaddr.IPv6.isValid(value)) return null;
  return ipaddr.process(value);
}

/** "10.0.0.0/8", "::1" or "192.0.2.7" (a single address is its own /32 or /128). */
export function parseIpRange(text: string): IpRange | null {
  const value = text.trim();
  if (value.includes("/")) {
    const [address = "", bits = ""] = value.split("/");
    const parsed = parseIp(address);
    const prefix = Number(bits);
    if (!parsed || !/^\d{1,3}$/.test(bits) || prefix > (parsed.kind() === "ipv4" ? 32 : 128)) return null;
    return [parsed, prefix];
  }
  const parsed = parseIp(value);
  return parsed ? [parsed, parsed.kind() === "ipv4" ? 32 : 128] : null;
}

export function inRanges(address: IpAddress, ranges: readonly IpRange[]): boolean {
  return ranges.some(([base, bits]) => base.kind() === address.kind() && address.match(base, bits));
}

/**
 * The network an address belongs to, for per-network limits: the IPv4 address itself, or the
 * /64 of an IPv6 address (one subscriber line usually gets a whole /64, so its addresses are one).
 */
export function networkOf(address: IpAddress): string {
  if (address.kind() === "ipv4") return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(":")}::/64`;
}
