import { idParams, jobById } from "@/lib/api/v1";
import { endpoint } from "@/lib/entry/endpoint";

export const GET = endpoint({ access: "superuser", params: idParams }, ({ params }) => jobById(params.id));
