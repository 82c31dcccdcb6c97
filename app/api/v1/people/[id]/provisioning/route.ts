import { idParams } from "@/lib/api/v1";
import { endpoint } from "@/lib/entry/endpoint";
import { personProvisioning } from "@/lib/registry/registry";

export const GET = endpoint({ access: "superuser", params: idParams }, ({ params }) => personProvisioning(params.id));
