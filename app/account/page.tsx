import type { Metadata } from "next";
import Link from "next/link";
import { SimpleActionForm } from "@/components/forms/simple-action-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requireViewer } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password";
import { DELETE_WARNING } from "@/lib/identity/delete-account";
import { changeDisplayNameAction, changePasswordAction, deleteAccountAction } from "./actions";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const viewer = await guardPage(requireViewer, "/account");
  const confirmWord = viewer.primaryEmail ?? viewer.emails[0]?.email ?? "";
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <PageHeader
        title="Your account"
        description={
          <>
            Your name, password and <Link href="/account/addresses" className="text-indigo-700">addresses</Link>. Your subscriptions are on{" "}
            <Link href="/me" className="text-indigo-700">My lists</Link>.
          </>
        }
      />
      <Card title="Name" description="Shown to list owners; Listkeeper also gives it to your Mailman user on every server.">
        <SimpleActionForm action={changeDisplayNameAction} submitLabel="Save name" fields={[{ name: "displayName", label: "Your name", autoComplete: "name", defaultValue: viewer.displayName }]} />
      </Card>
      <Card title="Password">
        <SimpleActionForm
          action={changePasswordAction}
          submitLabel="Change password"
          resetOnSuccess
          fields={[
            { name: "current", label: "Current password", type: "password", autoComplete: "current-password" },
            { name: "password", label: "New password", type: "password", autoComplete: "new-password", help: `At least ${MIN_PASSWORD_LENGTH} characters.` },
          ]}
        />
      </Card>
      <Card title="Delete your account" className="ring-red-200">
        <p className="mb-4 text-sm text-slate-700">{DELETE_WARNING}</p>
        <SimpleActionForm
          action={deleteAccountAction}
          submitLabel="Delete my account"
          variant="danger"
          redirectTo="/login"
          fields={[{ name: "confirmation", label: `Type ${confirmWord} to confirm`, autoComplete: "off" }]}
        />
      </Card>
    </div>
  );
}
