"use client";
import { useEffect, useState } from "react";

/**
 * `value` once it has held for `ms` (0: the next task, after the browser painted): the work
 * that follows it (the overlap matrix's six top-N selections, the map's raster) then never
 * delays the count and the histogram of a slider move or a method switch.
 */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(() => value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}
