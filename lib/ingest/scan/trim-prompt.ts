/**
 * The key of a sample: its prompt text with surrounding white space trimmed (lim-spec.md).
 *
 * We use String.prototype.trim. The reference script uses Python's str.strip(), which
 * differs only at the ends of a string and only for rare characters: Python also strips
 * U+001C..U+001F and U+0085, JavaScript also strips U+FEFF (byte order mark). Both strip
 * ASCII space, \t \n \v \f \r, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F,
 * U+205F and U+3000. Every ingest path and the dataset join call this one function, so the
 * choice can change in one place.
 */
export function trimPrompt(text: string): string {
  return text.trim();
}
