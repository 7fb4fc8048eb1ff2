import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { getRun, getSample } from "../../../../../lib/db";

/**
 * Outside the page's loading boundary: a prompt that does not exist is a 404 before anything
 * streams (after the loading skeleton is sent, the status can no longer change).
 */
export default async function PromptLayout({ children, params }: { children: ReactNode; params: Promise<{ name: string; ordinal: string }> }) {
  const p = await params;
  const ordinal = Number(p.ordinal);
  if (!/^\d+$/.test(p.ordinal) || !Number.isSafeInteger(ordinal)) notFound();
  const run = await getRun(decodeURIComponent(p.name));
  if (!run || !(await getSample(run.id, ordinal))) notFound();
  return children;
}
