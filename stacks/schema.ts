/**
 * The environment file's schema language, on zod 4: one definition is both the validator (every
 * problem with its key path, in the project's wording) and the JSON Schema editors use
 * (`z.toJSONSchema`, written to environments/schema.json by `npm run schema`).
 *
 * Messages say what was expected and what was found. The value found is not taken from zod: the
 * caller passes an `echo` that shows it as written in the file (capped), so `.nan` is not `null`
 * and a 1 MB string is not repeated whole. The helpers put a marker where it goes.
 */
import { z } from "zod";

export interface SchemaIssue {
  /** Key path, e.g. `state.bucket`, `overrides.api.minInstances`, `deployers[1]`. */
  readonly path: string;
  readonly message: string;
}

/** Marks where the value found goes (`got …`): `string "x"`, `number 1e3`, `a list`. */
const GOT = "\u0000GOT\u0000";
/** Marks where the value itself goes (`"x" is not …`). */
const VALUE = "\u0000VALUE\u0000";

/** Key path of a zod issue path: `overrides.api.env.A`, `deployers[1]`. */
export function keyPath(parts: readonly PropertyKey[]): string {
  let out = "";
  for (const p of parts) {
    if (typeof p === "number") out += `[${p}]`;
    else if (!/^[A-Za-z0-9_-]+$/.test(String(p))) out += `[${quote(String(p))}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** Characters of a value echoed in a message at most. */
const ECHO_CHARS = 80;

/** A string for a message: quoted, control characters escaped, cut after 80 characters. */
export function quote(text: string): string {
  if (text.length <= ECHO_CHARS) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, ECHO_CHARS - 3))}… (${text.length} characters)`;
}

type ErrorMap = (iss: { code: string; input?: unknown }) => string | undefined;

/** The message for a missing or empty required value, else `otherwise`. */
function typeError(expected: string, description: string): ErrorMap {
  return (iss) => {
    if (iss.code !== "invalid_type" && iss.code !== "invalid_value") return undefined;
    if (iss.input === undefined) return `missing; required (${description})`;
    if (iss.input === null) return `required (${description}) but empty`;
    return `expected ${expected} (${description}), got ${GOT}`;
  };
}

export function str(
  description: string,
  opts: { pattern?: RegExp; patternHint?: string; maxLength?: number } = {},
) {
  let s = z.string({ error: typeError("a string", description) });
  if (opts.pattern) {
    s = s.regex(opts.pattern, {
      error: () => `${VALUE} is not ${opts.patternHint ?? `matching ${opts.pattern}`}`,
    });
  }
  if (opts.maxLength !== undefined) {
    s = s.max(opts.maxLength, {
      error: () => `${VALUE} is longer than ${opts.maxLength} characters (${description})`,
    });
  }
  return s.describe(description);
}

export function bool(description: string) {
  return z.boolean({ error: typeError("true or false", description) }).describe(description);
}

export function num(
  description: string,
  opts: { integer?: boolean; min?: number; max?: number } = {},
) {
  const range = [
    opts.min !== undefined ? `≥ ${opts.min}` : "",
    opts.max !== undefined ? `≤ ${opts.max}` : "",
  ]
    .filter(Boolean)
    .join(" and ");
  const expected = `${opts.integer ? "an integer" : "a number"}${range ? ` ${range}` : ""}`;
  const error = typeError(expected, description);
  const all = (iss: { code: string; input?: unknown }) => error({ ...iss, code: "invalid_type" });
  let s = opts.integer ? z.int({ error: all }) : z.number({ error: all });
  if (opts.min !== undefined) s = s.min(opts.min, { error: all });
  if (opts.max !== undefined) s = s.max(opts.max, { error: all });
  return s.describe(description);
}

/** A string or a number (durations, quantities). */
export function strOrNum(description: string) {
  const error = typeError("a string or number", description);
  return z
    .union([z.string(), z.number()], { error: (iss) => error({ ...iss, code: "invalid_type" }) })
    .describe(description);
}

export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
  description: string,
) {
  const list = values.map((v) => JSON.stringify(v)).join(", ");
  return z.enum(values, { error: typeError(`one of ${list}`, description) }).describe(description);
}

export function list<T extends z.ZodType>(item: T, description: string, maxItems?: number) {
  let s = z.array(item, { error: typeError("a list", description) });
  if (maxItems !== undefined) {
    s = s.max(maxItems, { error: () => `has more than ${maxItems} items (${description})` });
  }
  return s.describe(description);
}

/** A mapping with free keys (matching `keyPattern`) and values of one schema. */
export function record<T extends z.ZodType>(
  value: T,
  description: string,
  keyPattern?: { pattern: RegExp; hint: string },
) {
  const key = keyPattern ? z.string().regex(keyPattern.pattern) : z.string();
  const types = typeError("a mapping", description);
  return z
    .record(key, value, {
      error: (iss) =>
        iss.code === "invalid_key"
          ? `key ${VALUE} is not ${keyPattern?.hint ?? "allowed"}`
          : types(iss),
    })
    .describe(description);
}

interface Field<T extends z.ZodType = z.ZodType> {
  readonly schema: T;
  readonly required: boolean;
}

/** An optional key (also when written empty, e.g. `labels:` with nothing after it). */
export function field<T extends z.ZodType>(schema: T): Field<z.ZodOptional<z.ZodNullable<T>>>;
/** A required key. */
export function field<T extends z.ZodType>(schema: T, required: true): Field<T>;
export function field(schema: z.ZodType, required = false): Field {
  if (required) return { schema, required };
  return { schema: schema.nullish().describe(schema.description ?? ""), required };
}

/** A mapping with known keys; unknown keys are problems (a typo must not be silently ignored). */
export function object<F extends Record<string, Field>>(fields: F, description: string) {
  const shape = Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.schema])) as {
    [K in keyof F]: F[K]["schema"];
  };
  const known = Object.keys(fields).join(", ");
  const types = typeError("a mapping", description);
  return z
    .strictObject(shape, {
      error: (iss) =>
        iss.code === "unrecognized_keys" ? `unknown key; allowed keys here: ${known}` : types(iss),
    })
    .describe(description);
}

/** Shows the value at a key path as the file wrote it (capped); `undefined` when unknown. */
export type Echo = (path: string) => { readonly got: string; readonly value: string };

/**
 * Validates `data` against `schema`: the typed value, or every problem with its key path.
 * `echo` renders the value found at a path for the messages.
 */
export function validate<T extends z.ZodType>(
  schema: T,
  data: unknown,
  echo: Echo,
): { data?: z.infer<T>; issues: SchemaIssue[] } {
  const result = schema.safeParse(data);
  if (result.success) return { data: result.data, issues: [] };
  const issues: SchemaIssue[] = [];
  for (const iss of result.error.issues) {
    if (iss.code === "unrecognized_keys") {
      for (const k of iss.keys)
        issues.push({ path: keyPath([...iss.path, k]), message: iss.message });
      continue;
    }
    const path = keyPath(iss.path);
    const shown =
      iss.code === "invalid_key"
        ? { got: "", value: quote(String(iss.path[iss.path.length - 1])) }
        : echo(path);
    issues.push({
      path: path || "(top level)",
      message: iss.message.split(GOT).join(shown.got).split(VALUE).join(shown.value),
    });
  }
  return { issues };
}

/** The JSON Schema (draft-07, what the YAML language server reads) of a schema. */
export function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { target: "draft-7" }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}
