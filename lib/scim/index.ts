import { z } from "zod";

export * from "./users";
export * from "./groups";
export * from "./discovery";
export { connectorForToken, createConnector, listConnectors, revokeConnector, updateConnectorMapping } from "./connectors";

export const scimIdParams = z.object({ id: z.string().min(1).max(300) });
