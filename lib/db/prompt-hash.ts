import { createHash } from "node:crypto";

/**
 * Index key for prompt lookups: sha256 hex of the trimmed prompt. Prompts run to kilobytes,
 * which a PostgreSQL btree cannot index; a hash column can, in both databases.
 */
export function promptHash(prompt: string): string {
  return createHash("sha256").update(prompt.trim()).digest("hex");
}
