/**
 * Re-indents JSON text without parsing it, so every number spelling, escape and key order of
 * the original row survives. The layout is the one LIMR's prompts file (math.8k.json) has,
 * Python's `json.dump(rows, f, indent=4)`, which is also `JSON.stringify(rows, null, 4)`:
 * one item per line, ": " after keys, empty containers as {} and [].
 */
export function indentJson(text: string, unit: string, level: number): string {
  let out = "";
  let depth = level;
  const n = text.length;
  const newline = (d: number) => "\n" + unit.repeat(d);
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (c === '"') {
      // Copy the whole string: scan to the closing quote, skipping escaped characters.
      let j = text.indexOf('"', i + 1);
      const backslash = text.indexOf("\\", i + 1);
      if (backslash !== -1 && backslash < j) {
        j = backslash;
        while (j < n && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      }
      if (j === -1) j = n;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      let j = i + 1;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (text[j] === close) {
        out += c + close;
        i = j;
      } else {
        out += c + newline(++depth);
      }
    } else if (c === "}" || c === "]") {
      out += newline(--depth) + c;
    } else if (c === ",") {
      out += "," + newline(depth);
    } else if (c === ":") {
      out += ": ";
    } else if (!isSpace(c.charCodeAt(0))) {
      out += c;
    }
  }
  return out;
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;
