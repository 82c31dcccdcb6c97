import { eventsList, eventsQuery } from "@/lib/api/v1";
import { endpoint } from "@/lib/entry/endpoint";

export const GET = endpoint({ access: "superuser", query: eventsQuery }, ({ query }) => eventsList(query));
