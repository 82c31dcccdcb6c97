"use client";

import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/field";

export interface AddressInputValue {
  format: "text" | "csv";
  input: string;
  fileName: string | null;
}

/** 2 MB of text: the server refuses more (lib/members/mass-input.ts MAX_MASS_INPUT). */
const MAX_FILE_BYTES = 2_000_000;

/**
 * Pasted addresses, or a CSV file read in the browser and sent as text (the file never needs to
 * be uploaded as such, and the user's input stays on the page whatever the server answers).
 */
export function AddressInput({ value, onChange, error, label }: { value: AddressInputValue; onChange: (next: AddressInputValue) => void; error?: string; label: string }) {
  const fileId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);

  async function readFile(file: File | undefined) {
    setFileProblem(null);
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setFileProblem(`${file.name} is ${(file.size / 1_000_000).toFixed(1)} MB; at most 2 MB per job. Split the file.`);
      return;
    }
    const text = await file.text();
    onChange({ format: "csv", input: text, fileName: file.name });
  }

  if (value.format === "csv" && value.fileName) {
    const rows = value.input.split(/\r\n|\n|\r/).filter((l) => l.trim() !== "").length;
    return (
      <div className="space-y-1">
        <p className="text-sm font-medium text-slate-800">{label}</p>
        <div className="flex flex-wrap items-center gap-3 rounded-md bg-slate-50 px-3 py-2 text-sm ring-1 ring-slate-200">
          <span>
            CSV file <span className="font-mono">{value.fileName}</span> · {rows.toLocaleString("en")} rows
          </span>
          <Button
            type="button"
            variant="secondary"
            onClick={() => {
              onChange({ format: "text", input: "", fileName: null });
              if (fileRef.current) fileRef.current.value = "";
            }}
          >
            Use pasted text instead
          </Button>
        </div>
        {error ? <p className="text-sm text-red-700">{error}</p> : null}
      </div>
    );
  }

  return (
    <div className="space-y-2">
      <TextAreaField
        label={label}
        rows={10}
        spellCheck={false}
        controlClassName="font-mono"
        value={value.input}
        onChange={(e) => onChange({ format: "text", input: e.target.value, fileName: null })}
        error={error}
        help={
          <>
            One per line: <code>jdoe@example.com</code>, <code>Jane Doe &lt;jdoe@example.com&gt;</code>, <code>&quot;Doe, Jane&quot; &lt;jdoe@example.com&gt;</code> or{" "}
            <code>jdoe@example.com (Jane Doe)</code>. Lines starting with # are ignored.
          </>
        }
      />
      <div className="text-sm">
        <label htmlFor={fileId} className="font-medium text-slate-800">
          Or choose a CSV file
        </label>{" "}
        <span className="text-xs text-slate-500">(a header with an email column and optionally a name column, or one address per row)</span>
        <input
          ref={fileRef}
          id={fileId}
          type="file"
          accept=".csv,text/csv,text/plain"
          className="mt-1 block text-sm"
          onChange={(e) => void readFile(e.target.files?.[0])}
        />
        {fileProblem ? <p className="mt-1 text-sm text-red-700">{fileProblem}</p> : null}
      </div>
    </div>
  );
}
