/**
 * Reads a `gcloud … describe --format export` document field by field and remembers what was
 * read, so that every field nobody mapped is reported by its path (`adopt` never drops a setting
 * silently). Paths read like the YAML: `spec.template.metadata.annotations["run.googleapis.com/ingress"]`,
 * `spec.template.spec.containers[0].env[2].valueFrom`.
 */

export type Path = readonly (string | number)[];

/** A field left out, with why. */
export interface Leftover {
  /** Path in the export, e.g. `spec.template.metadata.annotations["run.googleapis.com/sessionAffinity"]`. */
  readonly field: string;
  /** The value as it appears in the export (JSON for objects). */
  readonly value: string;
  readonly why: string;
}

export function formatPath(path: Path): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

export function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export class ExportReader {
  private readonly consumed = new Set<string>();
  /** Fields set by Cloud Run or gcloud, not configuration: reported apart, with the reason. */
  public readonly ignored: Leftover[] = [];
  /** Fields read but not expressible as a prop (value out of range for the constructs …). */
  public readonly refused: Leftover[] = [];

  constructor(public readonly root: unknown) {}

  /** The value at `path` (undefined when absent), marking it and everything below it as read. */
  take(path: Path): unknown {
    const value = this.peek(path);
    if (value !== undefined) this.consumed.add(formatPath(path));
    return value;
  }

  /** The value at `path`, without marking it read. */
  peek(path: Path): unknown {
    let v: unknown = this.root;
    for (const part of path) {
      if (v === null || typeof v !== "object") return undefined;
      v = (v as Record<string | number, unknown>)[part];
    }
    return v;
  }

  /** Marks `path` read and lists it as ignored (set by Cloud Run or gcloud). */
  ignore(path: Path, why: string): void {
    const value = this.take(path);
    if (value !== undefined)
      this.ignored.push({ field: formatPath(path), value: show(value), why });
  }

  /** Marks `path` read but lists it as not expressible, with why. */
  refuse(path: Path, why: string): void {
    const value = this.take(path);
    if (value !== undefined)
      this.refused.push({ field: formatPath(path), value: show(value), why });
  }

  /** Every leaf (or empty object/list) nobody read, in document order. */
  unread(): Leftover[] {
    const out: Leftover[] = [];
    const walk = (value: unknown, path: (string | number)[]): void => {
      if (this.consumed.has(formatPath(path))) return;
      if (value !== null && typeof value === "object") {
        const entries = Array.isArray(value)
          ? value.map((v, i) => [i, v] as const)
          : Object.entries(value as Record<string, unknown>);
        if (entries.length > 0) {
          for (const [k, v] of entries) walk(v, [...path, k]);
          return;
        }
      }
      if (path.length > 0)
        out.push({
          field: formatPath(path),
          value: show(value),
          why: "no prop of the constructs expresses it",
        });
    };
    walk(this.root, []);
    return out;
  }
}
