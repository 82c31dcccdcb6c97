import { idParams } from "@/lib/api/v1";
import { endpoint } from "@/lib/entry/endpoint";
import { initSelfService } from "@/lib/registry/self-service";

export const POST = endpoint({ access: "superuser", params: idParams, audit: "registry.preference" }, ({ params }) => initSelfService(params.id));
