/**
 * Cloud Scheduler's schedule format, checked before a plan: unix-cron with five fields and an
 * IANA time zone. Source: Cloud Scheduler docs "Cron job format and time zone" (minute 0-59,
 * hour 0-23, day of month 1-31, month 1-12 or JAN-DEC, day of week 0-6 or SUN-SAT, 7 = Sunday;
 * `*`, lists, ranges and steps; no `L`). Each function returns why the value is wrong, or
 * `undefined` when it is fine.
 */

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Three-letter names, index = value - offset. */
  readonly names?: readonly string[] | undefined;
  readonly namesFrom?: number | undefined;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const FIELDS: readonly CronField[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: "day of week", min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

/** Why `cron` is not a five-field unix-cron expression, or `undefined`. */
export function cronProblem(cron: string): string | undefined {
  if (typeof cron !== "string") return "the schedule is not a string";
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] === "") {
    return `a cron expression has 5 fields (minute hour day-of-month month day-of-week), this one has ${cron.trim() === "" ? 0 : parts.length}`;
  }
  for (const [i, part] of parts.entries()) {
    const why = fieldProblem(part, FIELDS[i]);
    if (why) return `the ${FIELDS[i].name} field "${part}" ${why}`;
  }
  return undefined;
}

function fieldProblem(text: string, field: CronField): string | undefined {
  for (const item of text.split(",")) {
    if (item === "") return "has an empty list item";
    const [base, step, extra] = item.split("/");
    if (extra !== undefined) return `has more than one "/" in "${item}"`;
    if (step !== undefined) {
      if (!/^\d+$/.test(step) || Number(step) < 1 || Number(step) > field.max - field.min + 1) {
        return `has the step "/${step}"; a step is a whole number from 1 to ${field.max - field.min + 1}`;
      }
    }
    if (base === "*") continue;
    const bounds = base.split("-");
    if (bounds.length > 2) return `has the malformed range "${base}"`;
    const values: number[] = [];
    for (const b of bounds) {
      const v = value(b, field);
      if (v === undefined) return `has "${b}", which is not ${allowed(field)}`;
      values.push(v);
    }
    if (values.length === 2 && values[0] > values[1]) {
      return `has the range "${base}", which runs backwards`;
    }
  }
  return undefined;
}

function value(text: string, field: CronField): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return index >= 0 ? index + (field.namesFrom ?? 0) : undefined;
}

function allowed(field: CronField): string {
  const range = `${field.min}–${field.max}`;
  if (!field.names) return `in ${range}`;
  const names = `${field.names[0]}–${field.names[field.names.length - 1]}`;
  return field.name === "day of week"
    ? `in 0–6 (7 is also Sunday) or ${names}`
    : `in ${range} or ${names}`;
}

const TZ_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

/** Why `tz` is not an IANA time zone name Cloud Scheduler accepts, or `undefined`. */
export function timeZoneProblem(tz: string): string | undefined {
  const example = 'a time zone is an IANA tz database name such as "Europe/Berlin" or "Etc/UTC"';
  if (typeof tz !== "string" || !TZ_SHAPE.test(tz)) return example;
  if (tz === "UTC" || tz === "Etc/UTC") return undefined;
  const known = supportedZones();
  if (known?.has(tz)) return undefined;
  const sameButCase = [...(known ?? [])].find((z) => z.toLowerCase() === tz.toLowerCase());
  if (sameButCase) return `time zone names are case-sensitive; write "${sameButCase}"`;
  try {
    // Aliases (e.g. "Asia/Kolkata", "US/Pacific") are not in supportedValuesOf but are valid.
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return undefined;
  } catch {
    return `${example}; "${tz}" is not one`;
  }
}

let ZONES: Set<string> | null | undefined;

function supportedZones(): Set<string> | undefined {
  if (ZONES === undefined) {
    const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
    try {
      ZONES = intl.supportedValuesOf ? new Set(intl.supportedValuesOf("timeZone")) : null;
    } catch {
      ZONES = null;
    }
  }
  return ZONES ?? undefined;
}
