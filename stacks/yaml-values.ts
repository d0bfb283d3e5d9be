/**
 * An environment file's YAML as plain values, read as hostile input: keys that name JavaScript
 * object properties, non-scalar keys, keys written twice, values of YAML 1.1 types, cdktf token
 * markers, undefined aliases, more than 100 aliases (alias bombs) and deep nesting are refused with
 * their line. How each value was written is kept, so messages echo it as written (capped).
 */
import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, Node } from "yaml";
import { Echo, keyPath, quote, SchemaIssue } from "./schema";

/** YAML aliases expanded per file at most (the yaml library's own default), against alias bombs. */
const MAX_ALIASES = 100;
/** Nesting depth at most: the schema needs 5. */
const MAX_DEPTH = 32;
/** Characters of a value echoed in a message at most (see quote). */
const ECHO_CHARS = 80;
/** cdktf's token markers: a string holding one would be resolved as a reference, not a literal. */
const TOKEN_MARKER = /[$#]\{TfToken\[|\$\{Token\[/;

/** How one value was written in the file, for messages. */
interface Written {
  readonly kind: "string" | "number" | "boolean" | "null" | "a mapping" | "a list";
  /** The source text (scalars other than strings) or the string's value. */
  readonly text: string;
}

class StopReading extends Error {}

/**
 * Turns the YAML document into plain values, recording how each value was written. Refuses keys
 * that name JavaScript object properties, non-scalar keys, values of YAML 1.1 types, undefined
 * aliases, more than MAX_ALIASES aliases, and deep nesting.
 */
export function plainValues(
  doc: Document,
  text: string,
  lines: LineCounter,
  issues: SchemaIssue[],
): { value: unknown; written: Map<string, Written> } {
  const written = new Map<string, Written>();
  let aliases = 0;
  const at = (node: { range?: readonly number[] | null } | null | undefined): string => {
    const pos = lines.linePos(node?.range?.[0] ?? 0);
    return `line ${pos.line}, column ${pos.col}`;
  };
  const walk = (node: unknown, parts: PropertyKey[], depth: number): unknown => {
    const key = keyPath(parts);
    if (depth > MAX_DEPTH) {
      issues.push({ path: at(node as Node), message: `nested deeper than ${MAX_DEPTH} levels` });
      throw new StopReading();
    }
    if (isAlias(node)) {
      aliases++;
      if (aliases > MAX_ALIASES) {
        issues.push({
          path: at(node),
          message: `more than ${MAX_ALIASES} YAML aliases (*name); an environment file needs few or none. Write the values out`,
        });
        throw new StopReading();
      }
      const target = node.resolve(doc);
      if (!target) {
        issues.push({
          path: at(node),
          message: `alias *${node.source} names no anchor (&${node.source}) above it`,
        });
        throw new StopReading();
      }
      return walk(target, parts, depth + 1);
    }
    if (node === null || node === undefined) {
      written.set(key, { kind: "null", text: "" });
      return null;
    }
    if (isScalar(node)) {
      const v = node.value;
      const raw = node.range ? text.slice(node.range[0], node.range[1]).trim() : String(v);
      if (typeof v === "string" && TOKEN_MARKER.test(v)) {
        issues.push({
          path: key || "(top level)",
          message: `${quote(v)} (${at(node)}) holds a cdktf token marker, which synth would turn into a reference; write the value itself`,
        });
        return undefined;
      }
      if (typeof v === "string") written.set(key, { kind: "string", text: v });
      else if (typeof v === "number" || typeof v === "boolean")
        written.set(key, { kind: typeof v as "number" | "boolean", text: raw });
      else if (v === null) written.set(key, { kind: "null", text: raw || "~" });
      else {
        issues.push({
          path: key || "(top level)",
          message: `a YAML value of type ${v?.constructor?.name ?? typeof v} (${at(node)}) is not supported; write a string, number, true/false, list or mapping`,
        });
        return undefined;
      }
      return v;
    }
    if (isMap(node)) {
      written.set(key, { kind: "a mapping", text: "" });
      const out: Record<string, unknown> = {};
      const seen = new Set<string>();
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? pair.key.value : undefined;
        if (
          !isScalar(pair.key) ||
          !["string", "number", "boolean"].includes(typeof k) ||
          (typeof k === "number" && !Number.isFinite(k))
        ) {
          issues.push({
            path: key || "(top level)",
            message: `a key (${at(pair.key as Node)}) is not a plain word; keys are strings`,
          });
          continue;
        }
        const name = String(k);
        if (TOKEN_MARKER.test(name)) {
          issues.push({
            path: key || "(top level)",
            message: `key ${quote(name)} (${at(pair.key as Node)}) holds a cdktf token marker; rename it`,
          });
          continue;
        }
        if (seen.has(name)) {
          issues.push({
            path: at(pair.key as Node),
            message: `YAML syntax: key ${quote(keyPath([...parts, name]))} is written twice; keep one`,
          });
          continue;
        }
        seen.add(name);
        if (FORBIDDEN_KEYS.has(name)) {
          issues.push({
            path: keyPath([...parts, name]),
            message: `key ${quote(name)} (${at(pair.key as Node)}) names a JavaScript object property and is not allowed; rename or remove it`,
          });
          continue;
        }
        out[name] = walk(pair.value, [...parts, name], depth + 1);
      }
      return out;
    }
    if (isSeq(node)) {
      written.set(key, { kind: "a list", text: "" });
      return node.items.map((item, i) => walk(item, [...parts, i], depth + 1));
    }
    issues.push({
      path: key || "(top level)",
      message: `unsupported YAML node (${at(node as Node)})`,
    });
    return undefined;
  };
  try {
    return { value: walk(doc.contents, [], 0), written };
  } catch (e) {
    if (e instanceof StopReading) return { value: undefined, written };
    throw e;
  }
}

/**
 * Keys refused anywhere in a file: `__proto__` would set an object's prototype, the others shadow
 * what code calls on the objects built from the file.
 */
const FORBIDDEN_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), "prototype"]);

/** Renders the value found at a key path as written: strings quoted and capped, numbers as in the file. */
export function echoFrom(written: Map<string, Written>): Echo {
  return (p) => {
    const w = written.get(p);
    if (!w) return { got: "nothing", value: "nothing" };
    if (w.kind === "a mapping" || w.kind === "a list") return { got: w.kind, value: w.kind };
    // The whole file as one value (e.g. a symlink to some other text file): never echoed.
    if (p === "") return { got: `a ${w.kind}`, value: `a ${w.kind}` };
    if (w.kind === "string") return { got: `string ${quote(w.text)}`, value: quote(w.text) };
    const shown = w.text.length > ECHO_CHARS ? `${w.text.slice(0, ECHO_CHARS - 3)}…` : w.text;
    return { got: w.kind === "null" ? "null" : `${w.kind} ${shown}`, value: shown };
  };
}
