/**
 * Parsing of the value forms the public API accepts: gcloud durations, Kubernetes quantities,
 * and the check for unresolved tokens (values only known at apply time are never validated).
 */
import { Token } from "cdktf";

/** True when `value` (or anything inside a string) is a cdktf token resolved at apply time. */
export function isUnresolved(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "string" || typeof value === "number") return Token.isUnresolved(value);
  if (Array.isArray(value)) return Token.isUnresolved(value) || value.some(isUnresolved);
  return Token.isUnresolved(value);
}

/** A duration as gcloud writes it (`"300s"`, `"10m"`, `"1h30m"`, `"1.5s"`) or a number of seconds. */
export type Duration = string | number;

const DURATION_PART = /(\d+(?:\.\d+)?)(h|m|s)/g;
const DURATION_WHOLE = /^(?:\d+(?:\.\d+)?(?:h|m|s))+$/;

/** Seconds in a duration, or `undefined` when it is malformed. */
export function parseDuration(value: Duration): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
  if (!DURATION_WHOLE.test(text)) return undefined;
  const factor: Record<string, number> = { h: 3600, m: 60, s: 1 };
  let total = 0;
  for (const m of text.matchAll(DURATION_PART)) total += Number(m[1]) * factor[m[2]];
  return total;
}

/** Seconds as the API's duration string (`"300s"`, `"0.5s"`). */
export function toApiDuration(seconds: number): string {
  return `${Number(seconds.toFixed(9))}s`;
}

/** A Kubernetes quantity as a string (`"512Mi"`, `"2"`, `"1000m"`) or a plain number. */
export type Quantity = string | number;

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, m: 1e-3, "": 1 };

/** The number a quantity stands for (`"512Mi"` → 536870912, `"500m"` → 0.5), or `undefined`. */
export function parseQuantity(value: Quantity): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T|m)?$/.exec(value.trim());
  if (!m) return undefined;
  const unit = m[2] ?? "";
  return Number(m[1]) * (BINARY[unit] ?? DECIMAL[unit]);
}

/** A quantity as the API string: numbers become their decimal string. */
export function toQuantityString(value: Quantity): string {
  return typeof value === "number" ? String(value) : value.trim();
}

export const MiB = 2 ** 20;
export const GiB = 2 ** 30;

/**
 * `T` with its possibly-undefined fields optional instead: what a config object of the provider
 * classes accepts under `exactOptionalPropertyTypes`.
 */
export type Defined<T> = {
  [K in keyof T as undefined extends T[K] ? never : K]: T[K];
} & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** `o` without its undefined fields (Terraform's JSON shows only what was set either way). */
export function defined<T extends object>(o: T): Defined<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Defined<T>;
}
