/**
 * Sets string entries of a top-level YAML map in place: the `yaml` Document API locates the
 * nodes (with their source ranges), and only those ranges are rewritten, so every comment, key
 * order, flow style and blank line of the rest of the file is kept byte for byte.
 */
import { Scalar, isMap, isScalar, parseDocument } from "yaml";

type Edit = { start: number; end: number; text: string };

/** A scalar in the style the existing one uses (plain unless it was quoted). */
function render(value: string, like?: Scalar): string {
  if (like?.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  if (like?.type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  // Plain is safe for image references; quote anything YAML would read differently.
  return /^[\w./@:-]+$/.test(value) && !/^[-:]/.test(value) && !/:\s/.test(value)
    ? value
    : JSON.stringify(value);
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

/**
 * Returns `text` with `mapKey.<name> = value` for every entry: existing values replaced, new
 * keys appended after the map's last entry (or a new map at the end of the file).
 */
export function setMapEntries(
  text: string,
  mapKey: string,
  entries: Readonly<Record<string, string>>,
): string {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const node = doc.get(mapKey, true);
  const edits: Edit[] = [];
  const added: Array<[string, string]> = [];

  if (
    node !== undefined &&
    node !== null &&
    !isMap(node) &&
    !(isScalar(node) && node.value === null)
  )
    throw new Error(`${mapKey} is not a map`);
  const map = isMap(node) ? node : undefined;
  for (const [name, value] of Object.entries(entries)) {
    const pair = map?.items.find((p) => isScalar(p.key) && p.key.value === name);
    if (pair && isScalar(pair.value) && pair.value.range) {
      const [start, end] = pair.value.range;
      edits.push({ start, end, text: render(value, pair.value) });
    } else if (pair) {
      throw new Error(`${mapKey}.${name} is not a plain value`);
    } else {
      added.push([name, value]);
    }
  }

  if (added.length > 0) {
    const last = map?.items[map.items.length - 1];
    const lastEnd = isScalar(last?.value) ? last.value.range?.[1] : undefined;
    if (map && map.flow) {
      const body = added.map(([k, v]) => `${k}: ${render(v)}`).join(", ");
      if (lastEnd !== undefined) edits.push({ start: lastEnd, end: lastEnd, text: `, ${body}` });
      else if (map.range)
        edits.push({ start: map.range[0], end: map.range[1], text: `{ ${body} }` });
    } else if (map && last && lastEnd !== undefined && isScalar(last.key) && last.key.range) {
      const indent = " ".repeat(columnOf(text, last.key.range[0]));
      const body = added.map(([k, v]) => `\n${indent}${k}: ${render(v)}`).join("");
      // After the rest of the last entry's line (its trailing comment stays with it).
      const eol = text.indexOf("\n", lastEnd);
      const at = eol < 0 ? text.length : eol;
      edits.push({ start: at, end: at, text: body });
    } else {
      // No map yet (or `images:` with nothing): write a block map at the end of the file.
      const body = added.map(([k, v]) => `  ${k}: ${render(v)}\n`).join("");
      const sep = text.endsWith("\n") || text === "" ? "" : "\n";
      if (node === undefined)
        edits.push({ start: text.length, end: text.length, text: `${sep}${mapKey}:\n${body}` });
      else throw new Error(`${mapKey} is empty; write "${mapKey}: {}" or add an entry by hand`);
    }
  }

  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
