import { idParams } from "@/lib/api/v1";
import { endpoint } from "@/lib/entry/endpoint";
import { listPreferencesOf } from "@/lib/registry/registry";

export const GET = endpoint({ access: "superuser", params: idParams }, async ({ params }) => ({ items: await listPreferencesOf(params.id) }));
