import { endpoint } from "@/lib/entry/endpoint";
import { myListPreferences } from "@/lib/registry/registry";

export const GET = endpoint({ access: "signed_in" }, ({ viewer }) => myListPreferences(viewer.verifiedEmails));
