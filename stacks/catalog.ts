/**
 * Applies an environment file to the workload catalog: the image of each workload comes from
 * `images:`, per-environment values from `overrides:`. Everything in the file must be used: an
 * image or override for a workload the catalog does not have, or an override key that does not
 * apply to that kind of workload, fails with the file name and the key path.
 *
 * `overrides.<workload>.enabled: false` leaves a workload out of the environment; it then needs
 * no image there. A workload whose props are invalid does not stop the others: every workload is
 * built, and `finish()` throws every problem of the environment at once.
 */
import { ConfigError } from "@cdktf-cloud-run/constructs";
import type { WorkloadKind } from "@cdktf-cloud-run/constructs";
import {
  ConfigErrors,
  Environment,
  EnvironmentFileError,
  showFile,
  WorkloadOverrides,
} from "./environment";
import { keyPath, quote, SchemaIssue } from "./schema";

type Kind = WorkloadKind;

const COMMON = [
  "enabled",
  "cpu",
  "memory",
  "env",
  "labels",
  "deletionProtection",
  "imageManagedBy",
  "vpc",
  "secrets",
] as const;
const KEYS: Record<Kind, readonly (keyof WorkloadOverrides)[]> = {
  service: [
    ...COMMON,
    "minInstances",
    "maxInstances",
    "concurrency",
    "timeout",
    "ingress",
    "allowUnauthenticated",
  ],
  job: [...COMMON, "tasks", "parallelism", "maxRetries", "taskTimeout"],
  "worker-pool": [...COMMON, "instances"],
};

/** Override keys whose mappings are merged into the catalog's, key by key. */
const MERGED = ["env", "labels", "vpc"] as const;

export class Catalog {
  private readonly issues: SchemaIssue[] = [];
  private readonly failed: Error[] = [];
  private readonly images = new Set<string>();

  /**
   * `workloads` names every workload of the catalog and the images it takes from the file
   * (`{ orders: ["orders", "otel-collector"], "hello-fn": [] }`). A missing image of an enabled
   * workload, an image no workload uses, or an override for a workload the catalog does not have
   * fails here, before any workload is built.
   */
  constructor(
    public readonly env: Environment,
    private readonly workloads: Readonly<Record<string, readonly string[]>>,
  ) {
    const known = Object.keys(workloads);
    for (const name of Object.keys(env.overrides)) {
      if (!known.includes(name)) {
        this.issues.push({
          path: keyPath(["overrides", name]),
          message: `the catalog has no workload ${quote(name)}; known: ${known.join(", ")}`,
        });
      }
    }
    for (const [workload, images] of Object.entries(workloads)) {
      for (const image of images) {
        this.images.add(image);
        if (this.enabled(workload) && !env.images[image]) {
          this.issues.push({
            path: keyPath(["images", image]),
            message: `missing; the catalog deploys "${workload}" and needs its image reference (or set overrides.${workload}.enabled: false)`,
          });
        }
      }
    }
    for (const name of Object.keys(env.images)) {
      if (!this.images.has(name)) {
        this.issues.push({
          path: keyPath(["images", name]),
          message: `no workload of the catalog uses an image ${quote(name)}; known: ${[...this.images].join(", ")}`,
        });
      }
    }
    if (this.issues.length > 0)
      throw new EnvironmentFileError(showFile(env.file), this.issues.splice(0));
  }

  /** Is the workload part of this environment? (`overrides.<name>.enabled`, default true) */
  enabled(name: string): boolean {
    return this.env.overrides[name]?.enabled ?? true;
  }

  /**
   * Builds one workload with `create`, unless the environment turns it off (then `undefined`).
   * Invalid props do not stop the catalog: the error is kept for `finish()`, and the result is
   * `undefined`, so what depends on the workload is left out too.
   */
  add<T>(name: string, create: () => T): T | undefined {
    if (!(name in this.workloads)) {
      throw new Error(`catalog: workload "${name}" is not declared in new Catalog(env, {...})`);
    }
    if (!this.enabled(name)) return undefined;
    try {
      return create();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.failed.push(e);
      return undefined;
    }
  }

  /** The image `name` from the environment file (`images.<name>`), declared in the constructor. */
  image(name: string): string {
    if (!this.images.has(name)) {
      throw new Error(`catalog: image "${name}" is not declared in new Catalog(env, {...})`);
    }
    return this.env.images[name];
  }

  /**
   * `props` with the environment's overrides for `name` applied: `env`, `labels` and `vpc` are
   * merged, `secrets.<VAR>.version` replaces the version of a secret the catalog defines, other
   * keys replace the catalog's value. Keys that do not apply to `kind` are reported.
   */
  apply<P extends object>(kind: Kind, name: string, props: P): P {
    const o = this.env.overrides[name];
    if (!o) return props;
    const out: Record<string, unknown> = { ...(props as Record<string, unknown>) };
    for (const [key, value] of Object.entries(o) as [keyof WorkloadOverrides, unknown][]) {
      if (!KEYS[kind].includes(key)) {
        this.issues.push({
          path: keyPath(["overrides", name, key]),
          message: `does not apply to the ${kind} "${name}"; keys for a ${kind}: ${KEYS[kind].join(", ")}`,
        });
        continue;
      }
      if (key === "enabled") continue;
      if (key === "secrets") {
        out.secrets = this.secretVersions(name, out.secrets, value as WorkloadOverrides["secrets"]);
      } else if ((MERGED as readonly string[]).includes(key)) {
        out[key] = {
          ...((out[key] as Record<string, unknown>) ?? {}),
          ...(value as Record<string, unknown>),
        };
      } else {
        out[key] = value;
      }
    }
    return out as P;
  }

  private secretVersions(
    name: string,
    secrets: unknown,
    versions: WorkloadOverrides["secrets"],
  ): unknown {
    const current = (secrets ?? {}) as Record<string, { secret: string; version?: string }>;
    const out = { ...current };
    for (const [variable, { version }] of Object.entries(versions ?? {})) {
      if (!Object.prototype.hasOwnProperty.call(current, variable)) {
        const have = Object.keys(current);
        this.issues.push({
          path: keyPath(["overrides", name, "secrets", variable]),
          message: `"${name}" has no secret environment variable ${quote(variable)}; ${have.length > 0 ? `its secrets: ${have.join(", ")}` : "it has no secrets"}. The catalog (stacks/workloads.ts) defines which secret; the file picks its version`,
        });
        continue;
      }
      out[variable] = { ...current[variable], version: String(version) };
    }
    return out;
  }

  /** Throws every problem found: the file's (override keys) and every workload's. */
  finish(): void {
    const errors: Error[] = [];
    if (this.issues.length > 0)
      errors.push(new EnvironmentFileError(showFile(this.env.file), this.issues));
    errors.push(...this.failed);
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new ConfigErrors(errors);
  }
}
