/**
 * A small schema language that does two jobs from one definition: validates a parsed YAML value
 * (collecting every problem with its key path) and emits the JSON Schema that editors use.
 */

export interface SchemaIssue {
  /** Key path, e.g. `state.bucket`, `overrides.api.minInstances`, `deployers[1]`. */
  readonly path: string;
  readonly message: string;
}

export interface Schema<T> {
  readonly description?: string;
  check(value: unknown, path: string, issues: SchemaIssue[]): T | undefined;
  jsonSchema(): Record<string, unknown>;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

export function str(
  description: string,
  opts: { pattern?: RegExp; patternHint?: string } = {},
): Schema<string> {
  return {
    description,
    check(value, path, issues) {
      if (typeof value !== "string") {
        issues.push({
          path,
          message: `expected a string (${description}), got ${typeName(value)}`,
        });
        return undefined;
      }
      if (opts.pattern && !opts.pattern.test(value)) {
        issues.push({
          path,
          message: `${JSON.stringify(value)} is not ${opts.patternHint ?? `matching ${opts.pattern}`}`,
        });
        return undefined;
      }
      return value;
    },
    jsonSchema: () => ({
      type: "string",
      description,
      ...(opts.pattern ? { pattern: opts.pattern.source } : {}),
    }),
  };
}

export function bool(description: string): Schema<boolean> {
  return {
    description,
    check(value, path, issues) {
      if (typeof value !== "boolean") {
        issues.push({
          path,
          message: `expected true or false (${description}), got ${typeName(value)}`,
        });
        return undefined;
      }
      return value;
    },
    jsonSchema: () => ({ type: "boolean", description }),
  };
}

export function num(
  description: string,
  opts: { integer?: boolean; min?: number; max?: number } = {},
): Schema<number> {
  return {
    description,
    check(value, path, issues) {
      const ok =
        typeof value === "number" &&
        Number.isFinite(value) &&
        (!opts.integer || Number.isInteger(value)) &&
        (opts.min === undefined || value >= opts.min) &&
        (opts.max === undefined || value <= opts.max);
      if (!ok) {
        const range = [
          opts.min !== undefined ? `≥ ${opts.min}` : "",
          opts.max !== undefined ? `≤ ${opts.max}` : "",
        ]
          .filter(Boolean)
          .join(" and ");
        issues.push({
          path,
          message: `expected ${opts.integer ? "an integer" : "a number"}${range ? ` ${range}` : ""} (${description}), got ${typeName(value)}`,
        });
        return undefined;
      }
      return value as number;
    },
    jsonSchema: () => ({
      type: opts.integer ? "integer" : "number",
      description,
      ...(opts.min !== undefined ? { minimum: opts.min } : {}),
      ...(opts.max !== undefined ? { maximum: opts.max } : {}),
    }),
  };
}

/** A string or a number (durations, quantities). */
export function strOrNum(description: string): Schema<string | number> {
  return {
    description,
    check(value, path, issues) {
      if (typeof value !== "string" && typeof value !== "number") {
        issues.push({
          path,
          message: `expected a string or number (${description}), got ${typeName(value)}`,
        });
        return undefined;
      }
      return value;
    },
    jsonSchema: () => ({ type: ["string", "number"], description }),
  };
}

export function oneOf<T extends string>(values: readonly T[], description: string): Schema<T> {
  return {
    description,
    check(value, path, issues) {
      if (typeof value !== "string" || !values.includes(value as T)) {
        issues.push({
          path,
          message: `expected one of ${values.map((v) => JSON.stringify(v)).join(", ")} (${description}), got ${typeName(value)}`,
        });
        return undefined;
      }
      return value as T;
    },
    jsonSchema: () => ({ type: "string", enum: [...values], description }),
  };
}

export function list<T>(item: Schema<T>, description: string): Schema<T[]> {
  return {
    description,
    check(value, path, issues) {
      if (!Array.isArray(value)) {
        issues.push({ path, message: `expected a list (${description}), got ${typeName(value)}` });
        return undefined;
      }
      const out: T[] = [];
      value.forEach((v, i) => {
        const r = item.check(v, `${path}[${i}]`, issues);
        if (r !== undefined) out.push(r);
      });
      return out;
    },
    jsonSchema: () => ({ type: "array", description, items: item.jsonSchema() }),
  };
}

/** A mapping with free keys (matching `keyPattern`) and values of one schema. */
export function record<T>(
  value: Schema<T>,
  description: string,
  keyPattern?: { pattern: RegExp; hint: string },
): Schema<Record<string, T>> {
  return {
    description,
    check(input, path, issues) {
      if (!isMapping(input)) {
        issues.push({
          path,
          message: `expected a mapping (${description}), got ${typeName(input)}`,
        });
        return undefined;
      }
      const out: Record<string, T> = {};
      for (const [k, v] of Object.entries(input)) {
        if (keyPattern && !keyPattern.pattern.test(k)) {
          issues.push({
            path: join(path, k),
            message: `key ${JSON.stringify(k)} is not ${keyPattern.hint}`,
          });
          continue;
        }
        const r = value.check(v, join(path, k), issues);
        if (r !== undefined) out[k] = r;
      }
      return out;
    },
    jsonSchema: () => ({
      type: "object",
      description,
      additionalProperties: value.jsonSchema(),
      ...(keyPattern ? { propertyNames: { pattern: keyPattern.pattern.source } } : {}),
    }),
  };
}

type Fields = Record<string, { schema: Schema<unknown>; required?: boolean }>;
type Out<F extends Fields> = {
  [K in keyof F as F[K]["required"] extends true ? K : never]: SchemaType<F[K]["schema"]>;
} & {
  [K in keyof F as F[K]["required"] extends true ? never : K]?: SchemaType<F[K]["schema"]>;
};
export type SchemaType<S> = S extends Schema<infer T> ? T : never;

export function field<T>(schema: Schema<T>): { schema: Schema<T>; required: false };
export function field<T>(schema: Schema<T>, required: true): { schema: Schema<T>; required: true };
export function field<T>(
  schema: Schema<T>,
  required = false,
): { schema: Schema<T>; required: boolean } {
  return { schema, required };
}

/** A mapping with known keys; unknown keys are problems (a typo must not be silently ignored). */
export function object<F extends Fields>(fields: F, description: string): Schema<Out<F>> {
  return {
    description,
    check(input, path, issues) {
      if (!isMapping(input)) {
        issues.push({
          path: path || "(top level)",
          message: `expected a mapping (${description}), got ${typeName(input)}`,
        });
        return undefined;
      }
      const out: Record<string, unknown> = {};
      const known = Object.keys(fields);
      for (const [k, v] of Object.entries(input)) {
        const f = fields[k];
        if (!f) {
          issues.push({
            path: join(path, k),
            message: `unknown key; allowed keys here: ${known.join(", ")}`,
          });
          continue;
        }
        if (v === null || v === undefined) {
          if (f.required)
            issues.push({
              path: join(path, k),
              message: `required (${f.schema.description}) but empty`,
            });
          continue;
        }
        const r = f.schema.check(v, join(path, k), issues);
        if (r !== undefined) out[k] = r;
      }
      for (const [k, f] of Object.entries(fields)) {
        if (f.required && !(k in input)) {
          issues.push({
            path: join(path, k),
            message: `missing; required (${f.schema.description})`,
          });
        }
      }
      return out as Out<F>;
    },
    jsonSchema: () => ({
      type: "object",
      description,
      additionalProperties: false,
      properties: Object.fromEntries(
        Object.entries(fields).map(([k, f]) => [k, f.schema.jsonSchema()]),
      ),
      required: Object.entries(fields)
        .filter(([, f]) => f.required)
        .map(([k]) => k),
    }),
  };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
