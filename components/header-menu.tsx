"use client";

import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";
import { cn } from "@/lib/cn";

/**
 * The main navigation's links and account controls: in a row on wider screens, behind a "Menu"
 * button on phones (closed again on every navigation).
 */
export function HeaderMenu({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  // Open for the page it was opened on only: a navigation closes it without an effect.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  return (
    <>
      <button
        type="button"
        className="ml-auto rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100 sm:hidden"
        aria-expanded={open}
        aria-controls="main-menu"
        onClick={() => setOpenOn(open ? null : pathname)}
      >
        {open ? "Close menu" : "Menu"}
      </button>
      <div
        id="main-menu"
        className={cn(
          open ? "flex" : "hidden",
          "w-full flex-col gap-3 border-t border-slate-100 pt-3 sm:flex sm:w-auto sm:flex-1 sm:flex-row sm:flex-wrap sm:items-center sm:gap-x-5 sm:gap-y-2 sm:border-0 sm:pt-0",
        )}
      >
        {children}
      </div>
    </>
  );
}
