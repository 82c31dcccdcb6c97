import type { Metadata } from "next";
import { SimpleActionForm } from "@/components/forms/simple-action-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requireViewer } from "@/lib/auth/guard";
import { guardPage } from "@/lib/auth/page-guard";
import { addAddressAction, makePrimaryAction, removeAddressAction, resendVerificationAction } from "../actions";

export const metadata: Metadata = { title: "Your addresses" };

export default async function AddressesPage() {
  const viewer = await guardPage(requireViewer, "/account/addresses");
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <PageHeader
        title="Your addresses"
        description="Only confirmed addresses count: Listkeeper subscribes, unsubscribes and shows lists only for them. Your primary address is the one “primary address” subscriptions use."
      />
      <Card>
        <table className="w-full text-sm" data-testid="addresses">
          <thead>
            <tr className="text-left text-slate-500">
              <th className="py-2">Address</th>
              <th>State</th>
              <th className="text-right">Actions</th>
            </tr>
          </thead>
          <tbody>
            {viewer.emails.map((e) => {
              const primary = e.email === viewer.primaryEmail;
              return (
                <tr key={e.email} className="border-t border-slate-100 align-top">
                  <td className="py-2 font-medium">{e.email}</td>
                  <td className="py-2">
                    {e.verified ? "Confirmed" : "Waiting for confirmation"}
                    {primary ? <span className="ml-2 rounded bg-indigo-50 px-1.5 py-0.5 text-xs text-indigo-700">primary</span> : null}
                  </td>
                  <td className="py-2">
                    <div className="flex flex-wrap justify-end gap-2">
                      {!e.verified ? <SimpleActionForm action={resendVerificationAction} hidden={{ email: e.email }} fields={[]} submitLabel="Re-send link" variant="secondary" /> : null}
                      {e.verified && !primary ? <SimpleActionForm action={makePrimaryAction} hidden={{ email: e.email }} fields={[]} submitLabel="Make primary" variant="secondary" /> : null}
                      {!primary && viewer.emails.length > 1 ? (
                        <SimpleActionForm action={removeAddressAction} hidden={{ email: e.email }} fields={[]} submitLabel="Remove" variant="danger" />
                      ) : null}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="mt-3 text-xs text-slate-500">Removing a confirmed address also removes it from your Mailman user: subscriptions made with that very address end.</p>
      </Card>
      <Card title="Add an address" description="We mail a link to the address; it counts once you open it.">
        <SimpleActionForm action={addAddressAction} resetOnSuccess submitLabel="Add address" fields={[{ name: "email", label: "Email", type: "email", autoComplete: "email" }]} />
      </Card>
    </div>
  );
}
