/**
 * Applies an environment file to the workload catalog: the image of each workload comes from
 * `images:`, per-environment values from `overrides:`. Everything in the file must be used: an
 * image or override for a workload the catalog does not have, or an override key that does not
 * apply to that kind of workload, fails with the file name and the key path.
 */
import { Environment, EnvironmentFileError, WorkloadOverrides } from "./environment";
import { SchemaIssue } from "./schema";

type Kind = "service" | "job" | "worker-pool";

const COMMON = ["cpu", "memory", "env", "labels", "deletionProtection"] as const;
const KEYS: Record<Kind, readonly (keyof WorkloadOverrides)[]> = {
  service: [...COMMON, "minInstances", "maxInstances", "concurrency", "timeout"],
  job: [...COMMON, "tasks", "parallelism", "maxRetries", "taskTimeout"],
  "worker-pool": [...COMMON, "instances"],
};

export class Catalog {
  private readonly issues: SchemaIssue[] = [];
  private readonly usedImages = new Set<string>();
  private readonly usedOverrides = new Set<string>();

  /**
   * `images` names every image the catalog takes from the file: a missing one, or one the
   * catalog does not know, fails here, before any workload is built.
   */
  constructor(
    public readonly env: Environment,
    images: readonly string[],
  ) {
    for (const name of images) {
      this.usedImages.add(name);
      if (!env.images[name]) {
        this.issues.push({
          path: `images.${name}`,
          message: `missing; the catalog deploys "${name}" and needs its image reference`,
        });
      }
    }
    for (const name of Object.keys(env.images)) {
      if (!this.usedImages.has(name)) {
        this.issues.push({
          path: `images.${name}`,
          message: `no workload of the catalog uses an image "${name}"; known: ${images.join(", ")}`,
        });
      }
    }
    if (this.issues.length > 0) throw new EnvironmentFileError(env.file, this.issues.splice(0));
  }

  /** The image of `name` from the environment file (`images.<name>`), declared in the constructor. */
  image(name: string): string {
    if (!this.usedImages.has(name)) {
      throw new Error(`catalog: image "${name}" is not declared in new Catalog(env, [...])`);
    }
    return this.env.images[name];
  }

  /**
   * `props` with the environment's overrides for `name` applied (env and labels are merged).
   * Keys that do not apply to `kind` are reported.
   */
  apply<P extends object>(kind: Kind, name: string, props: P): P {
    this.usedOverrides.add(name);
    const o = this.env.overrides[name];
    if (!o) return props;
    const out: Record<string, unknown> = { ...(props as Record<string, unknown>) };
    for (const [key, value] of Object.entries(o) as [keyof WorkloadOverrides, unknown][]) {
      if (!KEYS[kind].includes(key)) {
        this.issues.push({
          path: `overrides.${name}.${key}`,
          message: `does not apply to the ${kind} "${name}"; keys for a ${kind}: ${KEYS[kind].join(", ")}`,
        });
        continue;
      }
      if (key === "env" || key === "labels") {
        out[key] = {
          ...((out[key] as Record<string, string>) ?? {}),
          ...(value as Record<string, string>),
        };
      } else {
        out[key] = value;
      }
    }
    return out as P;
  }

  /** Fails with every override problem found, including overrides for unknown workloads. */
  finish(): void {
    const known = [...this.usedOverrides].sort().join(", ");
    for (const name of Object.keys(this.env.overrides)) {
      if (!this.usedOverrides.has(name)) {
        this.issues.push({
          path: `overrides.${name}`,
          message: `the catalog has no workload "${name}"; known: ${known}`,
        });
      }
    }
    if (this.issues.length > 0) throw new EnvironmentFileError(this.env.file, this.issues);
  }
}
