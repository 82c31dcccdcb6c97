"use client";

import { useState } from "react";
import { AddressInput, type AddressInputValue } from "@/components/members/address-input";
import { GoogleGroupsChoices } from "@/components/members/google-groups-choices";
import { PreflightTable, type PredictionStyle } from "@/components/members/preflight-table";
import { useBulkForm } from "@/components/members/use-bulk-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CheckboxField, SelectField } from "@/components/ui/field";
import { listPath } from "@/components/list-header";
import type { SubscribeOptions } from "@/lib/members/mass-input";
import type { Preflight, SubscribePrediction } from "@/lib/members/mass-operations";
import { preflightSubscribeAction, startMassSubscribeAction } from "../bulk-actions";

const STYLES: Record<SubscribePrediction, PredictionStyle> = {
  subscribe: { label: "To subscribe", tone: "emerald" },
  confirm: { label: "Asked to confirm", tone: "amber" },
  approve: { label: "Needs a moderator's approval", tone: "amber" },
  invite: { label: "To invite", tone: "indigo" },
  member: { label: "Already a member", tone: "slate" },
  pending: { label: "Request already pending", tone: "amber" },
  banned: { label: "Banned", tone: "red" },
  own_address: { label: "The list's own address", tone: "red" },
};

const DELIVERY_MODES = [
  { value: "regular", label: "Regular: each message as it is sent" },
  { value: "mime_digests", label: "MIME digest" },
  { value: "plaintext_digests", label: "Plain-text digest" },
  { value: "summary_digests", label: "Summary digest" },
];

/**
 * Mass subscribe in two steps: "Check addresses" runs the preflight (nothing is sent to the
 * core's members), then "Subscribe" starts the job and opens its progress page. Any change to
 * the addresses or options after a check asks for a new check.
 */
export function MassSubscribeForm({ targetId, listId }: { targetId: number; listId: string }) {
  const [addresses, setAddresses] = useState<AddressInputValue>({ format: "text", input: "", fileName: null });
  const [options, setOptions] = useState<SubscribeOptions>({ preVerified: true, preConfirmed: true, preApproved: true, invitation: false, sendWelcome: false, deliveryMode: "regular" });
  const [consent, setConsent] = useState(false);
  // A Google Groups export: left-out rows chosen after all, owners/managers to make staff.
  const [googleGroups, setGoogleGroups] = useState<{ include: number[]; staff: number[] }>({ include: [], staff: [] });
  const { preflight, problem, pending, check, start, reset } = useBulkForm<Preflight<SubscribePrediction>>({
    jobHref: (jobId) => listPath(targetId, listId, `/members/jobs/${jobId}`),
  });

  const changeAddresses = (next: AddressInputValue) => {
    setAddresses(next);
    setGoogleGroups({ include: [], staff: [] });
    reset();
  };
  const runCheck = (choices: { include: number[]; staff: number[] }) =>
    void check(() => preflightSubscribeAction({ targetId, listId, format: addresses.format, input: addresses.input, googleGroups: choices, options }));
  // Choosing a left-out row changes what will be sent: the preview is checked again at once.
  const chooseIncluded = (include: number[]) => {
    const next = { ...googleGroups, include };
    setGoogleGroups(next);
    runCheck(next);
  };
  // The options change what the core will do with each address: the check must be run again.
  const setOption = <K extends keyof SubscribeOptions>(key: K, value: SubscribeOptions[K]) => {
    setOptions((o) => ({ ...o, [key]: value }));
    reset();
  };
  const needsConsent = !options.invitation && (options.preVerified || options.preConfirmed);
  const onCheck = (event: React.FormEvent) => {
    event.preventDefault();
    runCheck(googleGroups);
  };
  const onStart = () =>
    void start(() => startMassSubscribeAction({ targetId, listId, format: addresses.format, input: addresses.input, options, consent, googleGroups }));

  const toSend = preflight ? preflight.rows.length : 0;
  return (
    <form onSubmit={onCheck} noValidate className="space-y-6" aria-label="Mass subscribe">
      <Card title="Addresses">
        <AddressInput label="Addresses to subscribe" value={addresses} onChange={changeAddresses} error={problem?.field === "input" ? problem.message : undefined} />
      </Card>

      <Card title="Options">
        <fieldset className="space-y-3">
          <legend className="sr-only">Subscription options</legend>
          <CheckboxField
            label="Invite instead of subscribing"
            help="Each address gets an invitation and joins only by answering it. The options below are then ignored by the core."
            checked={options.invitation}
            onChange={(e) => setOption("invitation", e.target.checked)}
          />
          <CheckboxField
            label="Pre-verified: the addresses are known to be theirs"
            help="Without it the core only sends each new address a confirmation e-mail, whatever the other options say: nobody is subscribed until they answer."
            checked={options.preVerified}
            disabled={options.invitation}
            onChange={(e) => setOption("preVerified", e.target.checked)}
          />
          <CheckboxField
            label="Pre-confirmed: they already asked to join"
            help="Skips the confirmation e-mail on lists whose policy asks subscribers to confirm."
            checked={options.preConfirmed}
            disabled={options.invitation}
            onChange={(e) => setOption("preConfirmed", e.target.checked)}
          />
          <CheckboxField
            label="Pre-approved: no moderator approval needed"
            help="Skips the moderators on lists whose policy has them approve subscriptions."
            checked={options.preApproved}
            disabled={options.invitation}
            onChange={(e) => setOption("preApproved", e.target.checked)}
          />
          <CheckboxField
            label="Send the welcome message"
            help="Off by default: a mass import rarely wants hundreds of welcome e-mails."
            checked={options.sendWelcome}
            onChange={(e) => setOption("sendWelcome", e.target.checked)}
          />
          <SelectField
            label="Delivery mode"
            options={DELIVERY_MODES}
            value={options.deliveryMode}
            onChange={(e) => setOption("deliveryMode", e.target.value as SubscribeOptions["deliveryMode"])}
            className="max-w-sm"
          />
        </fieldset>
      </Card>

      {problem && problem.field !== "input" ? (
        <Alert tone="error" title="Nothing was sent">
          {problem.message}
        </Alert>
      ) : null}

      {!preflight ? (
        <Button type="submit" pending={pending === "check"}>
          Check addresses
        </Button>
      ) : (
        <Card title="Before anything is sent" description="What the roster, the bans and the pending requests say about each address now. The job reports what the core actually answered.">
          <div className="space-y-4">
            <PreflightTable preflight={preflight} styles={STYLES} />
            {preflight.googleGroups ? (
              <GoogleGroupsChoices
                google={preflight.googleGroups}
                staff={googleGroups.staff}
                onStaff={(staff) => setGoogleGroups((g) => ({ ...g, staff }))}
                include={googleGroups.include}
                onInclude={chooseIncluded}
                disabled={pending !== null}
              />
            ) : null}
            {needsConsent ? (
              <CheckboxField
                label="These people asked to join this list, or agreed to"
                help="Pre-verified and pre-confirmed subscriptions send no confirmation: you vouch for their consent. Listkeeper records that you did."
                checked={consent}
                onChange={(e) => setConsent(e.target.checked)}
              />
            ) : null}
            <div className="flex flex-wrap items-center gap-3">
              <Button type="button" onClick={onStart} pending={pending === "start"} disabled={toSend === 0 || (needsConsent && !consent)}>
                {options.invitation ? "Invite" : "Subscribe"} {toSend.toLocaleString("en")} {toSend === 1 ? "address" : "addresses"}
              </Button>
              <Button type="submit" variant="secondary" pending={pending === "check"}>
                Check again
              </Button>
            </div>
          </div>
        </Card>
      )}
    </form>
  );
}
