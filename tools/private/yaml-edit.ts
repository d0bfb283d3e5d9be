/**
 * Sets string entries of a top-level YAML map in place: the `yaml` Document API locates the
 * nodes (with their source ranges), and only those ranges are rewritten, so every comment, key
 * order, flow style, blank line and line ending (LF or CRLF) of the rest of the file is kept
 * byte for byte. Keys and values are rendered by the `yaml` library, so `123`, `null`, `1e3`,
 * `true` or `@x` are quoted and read back as the same strings.
 */
import { Scalar, isMap, isScalar, parse, parseDocument, stringify } from "yaml";

type Edit = { start: number; end: number; text: string };

/** Where a scalar goes: a block map (`key: value` on its own line) or a flow map (`{ … }`). */
type Context = "block" | "flow";

const FLOW_INDICATORS = /[,[\]{}]/;

function stringifyAs(value: string, type: Scalar.Type): string {
  return stringify(value, { lineWidth: 0, defaultStringType: type, defaultKeyType: type }).replace(
    /\n$/,
    "",
  );
}

/** Reads one rendered scalar back, as the environment loader would. */
function readsBackAs(rendered: string, value: string): boolean {
  try {
    return parse(rendered) === value;
  } catch {
    return false;
  }
}

/**
 * One string as a single-line YAML scalar, in the style `like` uses (plain unless it was
 * quoted); the `yaml` library quotes whatever YAML would read as another type or cannot hold
 * plain. Anything that would span lines, or a flow indicator inside `{ … }`, is double-quoted.
 */
export function renderScalar(value: string, like?: Scalar, context: Context = "block"): string {
  const preferred =
    like?.type === Scalar.QUOTE_DOUBLE
      ? Scalar.QUOTE_DOUBLE
      : like?.type === Scalar.QUOTE_SINGLE
        ? Scalar.QUOTE_SINGLE
        : Scalar.PLAIN;
  const text = stringifyAs(value, preferred);
  const plainInFlow = context === "flow" && !/^["']/.test(text) && FLOW_INDICATORS.test(text);
  if (!text.includes("\n") && !plainInFlow && readsBackAs(text, value)) return text;
  return stringifyAs(value, Scalar.QUOTE_DOUBLE);
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

/** The file's line ending: CRLF when most of its lines end so, else LF. */
export function lineEnding(text: string): "\r\n" | "\n" {
  const lf = text.split("\n").length - 1;
  const crlf = text.split("\r\n").length - 1;
  return crlf > 0 && crlf * 2 >= lf ? "\r\n" : "\n";
}

/** The offset where the line holding `offset` ends (before its CR LF or LF). */
function endOfLine(text: string, offset: number): number {
  const lf = text.indexOf("\n", offset);
  if (lf < 0) return text.length;
  return lf > offset && text[lf - 1] === "\r" ? lf - 1 : lf;
}

/**
 * Returns `text` with `mapKey.<name> = value` for every entry: existing values replaced, new
 * keys appended after the map's last entry (or a new map at the end of the file). Inserted
 * lines use the file's line ending.
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
  const eol = lineEnding(text);

  if (
    node !== undefined &&
    node !== null &&
    !isMap(node) &&
    !(isScalar(node) && node.value === null)
  )
    throw new Error(`${mapKey} is not a map`);
  const map = isMap(node) ? node : undefined;
  const context: Context = map?.flow ? "flow" : "block";
  const entry = ([k, v]: [string, string]) =>
    `${renderScalar(k, undefined, context)}: ${renderScalar(v, undefined, context)}`;
  for (const [name, value] of Object.entries(entries)) {
    // Keys compare as YAML reads them: `123:` is the number 123, the workload "123".
    const pair = map?.items.find((p) => isScalar(p.key) && String(p.key.value) === name);
    if (pair && isScalar(pair.value) && pair.value.range) {
      const [start, end] = pair.value.range;
      const rendered = renderScalar(value, pair.value, context);
      // `api:` with no value: the new one goes after the colon, with a space.
      const empty = pair.value.value === null && start === end;
      edits.push({ start, end, text: empty ? ` ${rendered}` : rendered });
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
      const body = added.map(entry).join(", ");
      if (lastEnd !== undefined) edits.push({ start: lastEnd, end: lastEnd, text: `, ${body}` });
      else if (map.range)
        edits.push({ start: map.range[0], end: map.range[1], text: `{ ${body} }` });
    } else if (map && last && lastEnd !== undefined && isScalar(last.key) && last.key.range) {
      const indent = " ".repeat(columnOf(text, last.key.range[0]));
      const body = added.map((e) => `${eol}${indent}${entry(e)}`).join("");
      // After the rest of the last entry's line (its trailing comment stays with it).
      const at = endOfLine(text, lastEnd);
      edits.push({ start: at, end: at, text: body });
    } else {
      // No map yet (or `images:` with nothing): write a block map at the end of the file.
      const body = added.map((e) => `  ${entry(e)}${eol}`).join("");
      const sep = text.endsWith("\n") || text === "" ? "" : eol;
      if (node === undefined)
        edits.push({
          start: text.length,
          end: text.length,
          text: `${sep}${renderScalar(mapKey)}:${eol}${body}`,
        });
      else throw new Error(`${mapKey} is empty; write "${mapKey}: {}" or add an entry by hand`);
    }
  }

  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
