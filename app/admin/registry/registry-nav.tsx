import Link from "next/link";
import { cn } from "@/lib/cn";

const TABS = [
  { href: "/admin/registry", label: "Overview" },
  { href: "/admin/registry/people", label: "People" },
  { href: "/admin/registry/groups", label: "Groups" },
  { href: "/admin/registry/email-lists", label: "Email lists" },
] as const;

/** The registry's tabs; `current` is the tab's href. */
export function RegistryNav({ current }: { current: (typeof TABS)[number]["href"] }) {
  return (
    <nav aria-label="Registry" className="mb-6 flex flex-wrap gap-2 border-b border-slate-200 pb-2 text-sm">
      {TABS.map((t) => (
        <Link
          key={t.href}
          href={t.href}
          aria-current={t.href === current ? "page" : undefined}
          className={cn("rounded-md px-3 py-1.5 font-medium", t.href === current ? "bg-indigo-50 text-indigo-800" : "text-slate-700 hover:bg-slate-100")}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}

export const tableClass = "min-w-full divide-y divide-slate-200 text-sm";
export const theadClass = "bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
export const tableWrap = "overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200";

/** `?page=` of a registry index: a positive integer, else 1. */
export function pageParam(value: string | string[] | undefined): number {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isInteger(n) && n > 0 && n < 1_000_000 ? n : 1;
}
