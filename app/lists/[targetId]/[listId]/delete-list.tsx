"use client";

import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { deleteListAction } from "../../actions";

interface Props {
  targetId: number;
  listId: string;
  postingAddress: string;
  memberCount: number;
}

/** The danger zone of a list page: owners and superusers only (the action checks again). */
export function DeleteList({ targetId, listId, postingAddress, memberCount }: Props) {
  const router = useRouter();
  const { executeAsync } = useAction(deleteListAction);
  const members = memberCount === 1 ? "1 member" : `${memberCount} members`;

  async function onConfirm(typed: string): Promise<string | null> {
    let result: Awaited<ReturnType<typeof executeAsync>>;
    try {
      result = await executeAsync({ targetId, listId, confirm: typed });
    } catch {
      return "The request did not reach the server. Check your connection and try again.";
    }
    if (result?.serverError) return result.serverError.message;
    if (result?.validationErrors) return "The request was not understood. Reload the page and try again.";
    if (!result) return "No answer from the server. Check your connection and try again.";
    router.push(`/lists?deleted=${encodeURIComponent(postingAddress)}`);
    return null;
  }

  return (
    <section aria-labelledby="danger-zone" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-red-200">
      <h2 id="danger-zone" className="text-base font-semibold text-red-800">
        Danger zone
      </h2>
      <div className="mt-2 flex flex-wrap items-center justify-between gap-4">
        <p className="max-w-xl text-sm text-slate-700">
          Deleting the list removes it from the Mailman server with its {members}, settings, held messages and pending requests.
        </p>
        <ConfirmDialog
          trigger={<Button variant="danger">Delete list</Button>}
          title={`Delete ${postingAddress}?`}
          description={
            <>
              <p>
                The list and its {members} will be removed from the Mailman server, with its settings, held messages, pending requests
                and bans.
              </p>
              <p className="font-semibold">This cannot be undone. Archives kept outside Mailman core are not removed.</p>
            </>
          }
          confirmText={postingAddress}
          actionLabel="Delete list"
          onConfirm={onConfirm}
        />
      </div>
    </section>
  );
}
