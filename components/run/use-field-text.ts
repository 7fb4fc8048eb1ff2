"use client";
import { useEffect, useState } from "react";

/**
 * A number field's text beside the value it edits: typing ("0.", "") is kept as typed and only
 * a valid number (`parse` gives non-null) is passed on; outside changes and blur show the value.
 */
export function useFieldText(value: number, parse: (s: string) => number | null, onChange: (n: number) => void) {
  const [text, setText] = useState(String(value));
  useEffect(() => {
    if (Number(text) !== value) setText(String(value));
    // Only follow outside changes; typing "0." must not be rewritten mid-way.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return {
    value: text,
    onChange: (e: { target: { value: string } }) => {
      setText(e.target.value);
      const n = e.target.value.trim() === "" ? null : parse(e.target.value);
      if (n !== null) onChange(n);
    },
    onBlur: () => setText(String(value)),
  };
}
