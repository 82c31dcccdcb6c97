import { jobsList, jobsQuery } from "@/lib/api/v1";
import { endpoint } from "@/lib/entry/endpoint";

export const GET = endpoint({ access: "superuser", query: jobsQuery }, ({ query }) => jobsList(query));
