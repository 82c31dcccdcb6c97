import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/card";
import { requireViewer } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { loadMyLists } from "@/lib/self-service/my-lists";
import { mySelfServiceLists } from "@/lib/self-service/self-service-lists";
import { MyLists } from "./my-lists";
import { SelfServiceLists } from "./self-service-lists";

export const metadata: Metadata = { title: "My lists" };

export default async function MyListsPage() {
  const viewer = await guardPage(requireViewer, "/me");
  const [data, selfService] = await Promise.all([loadMyLists(viewer), mySelfServiceLists(viewer)]);
  return (
    <div className="space-y-6">
      <PageHeader
        title="My lists"
        description={
          <>
            Lists you can join and lists you are on, on every Mailman server. Only your{" "}
            <Link href="/account/addresses" className="text-indigo-700">
              confirmed addresses
            </Link>{" "}
            count.
          </>
        }
      />
      {viewer.verifiedEmails.length === 0 ? (
        <Alert tone="warning">
          None of your addresses is confirmed yet. Open the link we mailed you, or <Link href="/account/addresses">send a new one</Link>; until then you can
          look, but not subscribe.
        </Alert>
      ) : null}
      {data.unreachable.map((u) => (
        <Alert key={u.targetId} tone="warning">
          {u.targetName}: {u.message}
        </Alert>
      ))}
      <SelfServiceLists initial={selfService} />
      <MyLists initial={data} />
    </div>
  );
}
