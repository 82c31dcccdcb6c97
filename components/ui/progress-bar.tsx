import { cn } from "@/lib/cn";

/** A job's progress, readable by screen readers ("42%"); red once the job has failed. */
export function ProgressBar({ label, done, total, percent, failed = false, className }: { label: string; done: number; total: number; percent: number; failed?: boolean; className?: string }) {
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      aria-valuetext={`${percent}%`}
      className={cn("h-3 overflow-hidden rounded-full bg-slate-100", className)}
    >
      <div className={cn("h-full rounded-full transition-[width]", failed ? "bg-red-500" : "bg-indigo-600")} style={{ width: `${percent}%` }} />
    </div>
  );
}
