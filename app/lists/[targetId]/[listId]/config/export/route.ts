import { consoleRoute } from "@/lib/entry/route";
import { exportListConfig } from "@/lib/list-config/list-config";

/** The list's configuration as a JSON file (owners and superusers). */
export const GET = consoleRoute({ access: "signed_in", list: "administer" }, async ({ list }) => {
  const document = await exportListConfig(list);
  const file = `${list.list.list_id}-config-${new Date().toISOString().slice(0, 10)}.json`;
  return new Response(`${JSON.stringify(document, null, 2)}\n`, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${file.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "cache-control": "no-store",
    },
  });
});
