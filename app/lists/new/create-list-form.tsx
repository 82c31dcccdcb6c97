"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { applyActionErrors } from "@/components/forms/action-result";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CheckboxField, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import type { listCreationOptions } from "@/lib/lists/lists";
import { listNameProblem } from "@/lib/validation/list-name";
import { createListAction } from "../actions";

export type ListCreationOptions = Awaited<ReturnType<typeof listCreationOptions>>;

// Mirrors createListSchema (lib/lists/lists.ts, which is server code and cannot be bundled for
// the browser); the action validates again with the real one, and the core checks once more.
const formSchema = z.object({
  targetId: z.string().min(1, "Choose a server."),
  mailHost: z.string().min(1, "Choose a domain."),
  name: z.string().trim().min(1, "Enter a list name.").max(64, "A list name has at most 64 characters."),
  styleName: z.string().min(1, "Choose a list style."),
  ownerEmail: z.string().trim().pipe(z.email("Enter the first owner's email address.")),
  description: z.string().max(500, "A description has at most 500 characters."),
  advertised: z.boolean(),
});
type FormValues = z.input<typeof formSchema>;
const FIELDS = ["targetId", "mailHost", "name", "styleName", "ownerEmail", "description", "advertised"] as const;

interface Props {
  targets: { id: number; name: string; domain: string }[];
  initialTargetId: number;
  initialOptions: ListCreationOptions | null;
  defaultOwner: string;
}

async function fetchOptions(targetId: number): Promise<ListCreationOptions> {
  const response = await fetch(`/api/targets/${targetId}/list-options`, { headers: { accept: "application/json" } });
  const body = (await response.json().catch(() => null)) as (ListCreationOptions & { error?: string }) | null;
  if (!response.ok || !body) throw new Error(body?.error ?? `The server answered ${response.status}.`);
  return body;
}

function preferredDomain(options: ListCreationOptions): string {
  return options.domains.includes(options.defaultDomain) ? options.defaultDomain : (options.domains[0] ?? "");
}

export function CreateListForm({ targets, initialTargetId, initialOptions, defaultOwner }: Props) {
  const router = useRouter();
  const [banner, setBanner] = useState<string | null>(null);
  const [navigating, setNavigating] = useState(false);
  const form = useForm<FormValues>({
    resolver: zodResolver(formSchema),
    defaultValues: {
      targetId: String(initialTargetId),
      mailHost: initialOptions ? preferredDomain(initialOptions) : "",
      name: "",
      styleName: initialOptions?.defaultStyle ?? "",
      ownerEmail: defaultOwner,
      description: "",
      advertised: true,
    },
  });
  const { errors } = form.formState;
  const { executeAsync, isPending } = useAction(createListAction);

  const targetId = Number(useWatch({ control: form.control, name: "targetId" }));
  const name = useWatch({ control: form.control, name: "name" });
  const mailHost = useWatch({ control: form.control, name: "mailHost" });
  const styleName = useWatch({ control: form.control, name: "styleName" });

  const optionsQuery = useQuery({
    queryKey: ["list-creation-options", targetId],
    queryFn: () => fetchOptions(targetId),
    initialData: targetId === initialTargetId && initialOptions ? initialOptions : undefined,
    staleTime: 60_000,
  });
  const options = optionsQuery.data?.targetId === targetId ? optionsQuery.data : undefined;

  // Another server has other domains and styles: start from its defaults once they arrive.
  const appliedFor = useRef<number | null>(initialOptions?.targetId ?? null);
  useEffect(() => {
    if (!options || appliedFor.current === options.targetId) return;
    appliedFor.current = options.targetId;
    form.setValue("mailHost", preferredDomain(options));
    form.setValue("styleName", options.defaultStyle);
    form.clearErrors(["mailHost", "styleName", "name"]);
  }, [options, form]);

  const trimmedName = name.trim();
  const nameProblem = trimmedName && options ? listNameProblem(trimmedName, options.listnameChars) : null;
  const selectedStyle = options?.styles.find((s) => s.name === styleName);

  const onSubmit = form.handleSubmit(async (values) => {
    setBanner(null);
    if (!options) {
      setBanner("The domains and styles of this server are not loaded yet.");
      return;
    }
    if (nameProblem) {
      form.setError("name", { type: "server", message: nameProblem });
      return;
    }
    let result: Awaited<ReturnType<typeof executeAsync>>;
    try {
      result = await executeAsync({ ...values, targetId: Number(values.targetId) });
    } catch {
      setBanner("The request did not reach the server. Check your connection and try again.");
      return;
    }
    if (result?.data) {
      setNavigating(true);
      router.push(`/lists/${result.data.targetId}/${encodeURIComponent(result.data.listId)}?created=1`);
      return;
    }
    setBanner(applyActionErrors(result, form.setError, FIELDS));
  });

  const loading = optionsQuery.isPending || (optionsQuery.isFetching && !options);

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate>
      {targets.length > 1 ? (
        <SelectField
          label="Server"
          options={targets.map((t) => ({ value: String(t.id), label: t.name }))}
          help="The Mailman server that will hold the list."
          {...form.register("targetId")}
          error={errors.targetId?.message}
        />
      ) : null}

      {optionsQuery.isError && !options ? (
        <Alert tone="error" title="Could not read this server's domains and styles">
          {optionsQuery.error.message}{" "}
          <button type="button" className="font-medium underline" onClick={() => void optionsQuery.refetch()}>
            Try again
          </button>
        </Alert>
      ) : null}

      <SelectField
        label="Domain"
        options={(options?.domains ?? []).map((d) => ({ value: d, label: d }))}
        disabled={!options}
        help={loading ? "Loading the server's domains…" : "The part of the list's address after the @."}
        {...form.register("mailHost")}
        error={errors.mailHost?.message}
      />

      <TextField
        label="List name"
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="none"
        {...form.register("name")}
        error={errors.name?.message ?? nameProblem ?? undefined}
        help={
          trimmedName && mailHost && !nameProblem ? (
            <>
              The posting address will be <span className="font-mono">{`${trimmedName.toLowerCase()}@${mailHost}`}</span>.
            </>
          ) : (
            `Lower-case letters, digits and the characters this server allows${options ? ` (${options.listnameChars})` : ""}.`
          )
        }
      />

      <SelectField
        label="List style"
        options={(options?.styles ?? []).map((s) => ({
          value: s.name,
          label: s.name === options?.defaultStyle ? `${s.name} (server default)` : s.name,
        }))}
        disabled={!options}
        help={selectedStyle?.description ?? (loading ? "Loading the server's styles…" : undefined)}
        {...form.register("styleName")}
        error={errors.styleName?.message}
      />

      <TextField
        label="First owner"
        type="email"
        autoComplete="email"
        help="Receives the list's owner mail and may manage it. More owners can be added later."
        {...form.register("ownerEmail")}
        error={errors.ownerEmail?.message}
      />

      <TextAreaField label="Description" rows={2} maxLength={500} {...form.register("description")} error={errors.description?.message} />

      <CheckboxField
        label="Advertised"
        help="Advertised lists appear in everyone's list index. Unadvertised lists are seen only by their members, moderators, owners and superusers."
        {...form.register("advertised")}
      />

      {banner ? <Alert tone="error">{banner}</Alert> : null}

      <div className="flex justify-end">
        <Button type="submit" pending={isPending || navigating} disabled={!options}>
          Create list
        </Button>
      </div>
    </form>
  );
}
