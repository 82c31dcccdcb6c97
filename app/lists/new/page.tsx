import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { describeActionError } from "@/lib/actions/safe-action";
import { listCreationOptions } from "@/lib/lists/lists";
import { listTargets } from "@/lib/targets/targets";
import { CreateListForm, type ListCreationOptions } from "./create-list-form";

export const metadata: Metadata = { title: "Create a list" };

export default async function NewListPage({ searchParams }: { searchParams: Promise<{ target?: string | string[] }> }) {
  const viewer = await guardPage(requireSuperuser, "/lists/new");
  const targets = await listTargets();

  if (targets.length === 0) {
    return (
      <>
        <PageHeader title="Create a list" />
        <EmptyState title="No Mailman servers yet">
          <p>
            A list is created on a Mailman server.{" "}
            <Link href="/admin/targets" className="font-medium text-indigo-700 underline">
              Add a Mailman server
            </Link>{" "}
            first.
          </p>
        </EmptyState>
      </>
    );
  }

  const requested = Number([(await searchParams).target].flat()[0]);
  const initialTarget = targets.find((t) => t.id === requested) ?? targets[0]!;
  let initialOptions: ListCreationOptions | null = null;
  let loadProblem: string | null = null;
  try {
    initialOptions = await listCreationOptions(initialTarget.id);
  } catch (error) {
    // The page still renders, so the superuser can pick another server.
    loadProblem = describeActionError(error as Error).message;
  }

  return (
    <>
      <PageHeader title="Create a list" description="A new mailing list on one of your Mailman servers, with its first owner." />
      <div className="max-w-2xl rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        {loadProblem ? (
          <Alert tone="error" title={`Could not read the options of ${initialTarget.name}`} className="mb-4">
            {loadProblem}
          </Alert>
        ) : null}
        <CreateListForm
          targets={targets.map((t) => ({ id: t.id, name: t.name, domain: t.domain }))}
          initialTargetId={initialTarget.id}
          initialOptions={initialOptions}
          defaultOwner={viewer.verifiedEmails[0] ?? ""}
        />
      </div>
    </>
  );
}
