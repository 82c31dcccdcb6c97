import { describe, expect, it } from "vitest";
import { connectorForToken, createConnector, listConnectors, revokeConnector, updateConnectorMapping } from "./connectors";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

describe("SCIM connectors", () => {
  it("a token works until its connector is revoked; only its hash is stored; API-token-shaped strings never match", async () => {
    const name = `idp ${unique()}`;
    const { id, token } = await createConnector({ name }, null);
    expect(token).toMatch(/^lks_[\w-]{43}$/);
    expect(await connectorForToken(token)).toEqual({ id, name, emailTypeMap: { work: "official", home: "personal", other: "personal" } });
    expect(await connectorForToken(`${token}x`)).toBeNull();
    expect(await connectorForToken(token.replace(/^lks_/, "lk_"))).toBeNull();
    const listed = (await listConnectors()).find((c) => c.id === id)!;
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(listed).toMatchObject({ people: 0, groups: 0, revokedAt: null, lastUsedAt: expect.any(Date) });
    await revokeConnector(id);
    expect(await connectorForToken(token)).toBeNull();
    await expect(revokeConnector(id)).rejects.toThrow("no such active connector");
  });

  it("the address-type map is validated and lower-cased", async () => {
    const { id, token } = await createConnector({ name: `idp ${unique()}`, emailTypeMap: { Work: "official" } }, null);
    expect((await connectorForToken(token))!.emailTypeMap).toEqual({ work: "official" });
    await updateConnectorMapping(id, { work: "official", mobile: "recovery" });
    expect((await connectorForToken(token))!.emailTypeMap).toEqual({ work: "official", mobile: "recovery" });
    await expect(updateConnectorMapping(id, { work: "Not A Type" })).rejects.toThrow();
  });
});
