import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/card";
import { requireSuperuser } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { TargetForm } from "../target-form";

export const metadata: Metadata = { title: "Add a Mailman server" };

export default async function NewTargetPage() {
  await guardPage(() => requireSuperuser(), "/admin/targets/new");
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/admin/targets" className="text-indigo-700 hover:underline">
          Mailman servers
        </Link>
      </nav>
      <PageHeader
        title="Add a Mailman server"
        description="Listkeeper checks the connection before saving and creates the list domain in the core if it is missing."
      />
      <TargetForm />
    </div>
  );
}
