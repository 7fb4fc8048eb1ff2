export { SetExistsError } from "../db";

export class SetNotFoundError extends Error {
  constructor(readonly setName: string) {
    super(`no set named "${setName}" (see \`lim sets list\`)`);
  }
}

/** A name a set cannot take, as a sentence; null when it is fine. */
export function setNameProblem(name: string): string | null {
  if (name.trim() === "") return "a set's name must not be empty";
  if (name !== name.trim()) return `a set's name must not start or end with white space, got ${JSON.stringify(name)}`;
  // Control and format characters (bidi overrides among them) would make a name read as another.
  if (/[\u0000-\u001f\u007f-\u009f]|\p{Cf}/u.test(name)) return `a set's name must not hold control or format characters (such as bidi controls), got ${JSON.stringify(name)}`;
  if (name.length > 200) return `a set's name must be at most 200 characters, got ${name.length}`;
  return null;
}
