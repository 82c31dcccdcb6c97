"use client";

import { PlanThenAct } from "@/components/registry/plan-then-act";
import { jobStatusAction, planAction, reconcileTargetAction } from "./actions";

/** A full reconcile of one server (every mapped person, then every provisioned list), plan first. */
export function ReconcileTarget({ targetId }: { targetId: number }) {
  return (
    <PlanThenAct
      planLabel="Plan a full reconcile"
      applyLabel="Run the full reconcile"
      plan={() => planAction({ kind: "reconcileTarget", targetId })}
      apply={() => reconcileTargetAction({ targetId })}
      statusAction={jobStatusAction}
    />
  );
}
