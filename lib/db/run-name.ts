/**
 * The one rule for a run's name, for every door (the CLI's --name, the browser's upload): names
 * appear in URLs, file names and shell commands, so they keep to a readable alphabet that needs
 * no escaping anywhere (no "%", "/", "..", white space, control or bidi characters).
 */
export const RUN_NAME_RULE = 'letters, digits, ".", "_" and "-", at most 100, starting with a letter or digit';

/** Why `name` cannot name a run, as a sentence; null when it can. */
export function runNameProblem(name: string): string | null {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) return null;
  return `the run name ${JSON.stringify(name)} is not allowed: use ${RUN_NAME_RULE}`;
}
