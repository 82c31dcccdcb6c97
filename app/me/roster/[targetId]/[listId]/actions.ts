"use server";

import { authedAction } from "@/lib/actions/safe-action";
import { revealAddressSchema, revealMemberAddress } from "@/lib/self-service/member-roster";

/** One member's address on a members' roster, when they let it show. */
export const revealAddressAction = authedAction.inputSchema(revealAddressSchema).action(async ({ parsedInput, ctx }) => revealMemberAddress(ctx.viewer, parsedInput));
