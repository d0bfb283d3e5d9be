/**
 * One `gcloud run services|jobs describe NAME --format export` document → what `adopt` prints:
 * the construct props of the catalog entry, the environment file's images and overrides, the ids
 * to import, and every field that could not be expressed.
 *
 * Reference for the fields: Cloud Run YAML reference (service: `serving.knative.dev/v1` Service,
 * job: `run.googleapis.com/v1` Job), https://cloud.google.com/run/docs/reference/yaml/v1; the
 * import id formats are those of the Google provider v6.50.0
 * (`resourceCloudRunV2ServiceImport` / `resourceCloudRunV2JobImport`:
 * `projects/{{project}}/locations/{{location}}/services|jobs/{{name}}`;
 * `tpgiamresource.iamMemberImport`: "RESOURCE ROLE MEMBER", space-separated;
 * `resourceGoogleServiceAccountImport`: `projects/{{project}}/serviceAccounts/{{email}}`).
 */
import { workloadAccountId as accountId } from "@cdktf-cloud-run/constructs";
import { ExportReader, Leftover, Path, show } from "./adopt-reader";
import { mapContainers } from "./adopt-containers";

type Obj = Record<string, unknown>;

/** A TypeScript expression in the printed props (not a literal). */
export class Expr {
  constructor(public readonly code: string) {}
}

export interface AdoptOptions {
  /** Project id of the environment the export comes from (the export holds only its number). */
  readonly project: string;
  /** The environment's default region: `region` is written only when the workload's differs. */
  readonly envRegion?: string;
  /** `gcloud run services|jobs get-iam-policy NAME --format json` of this workload. */
  readonly iamPolicy?: unknown;
}

export interface AdoptedWorkload {
  readonly file: string;
  readonly kind: "service" | "job";
  readonly name: string;
  readonly region: string;
  readonly project: string;
  /** Construct props for the catalog entry (values may be `Expr`). */
  readonly props: Obj;
  /** Per-environment values for `overrides.<name>` of the environment file. */
  readonly overrides: Obj;
  /** Image of each key the entry takes from `images:` (the workload name, then sidecar names). */
  readonly images: Record<string, string>;
  /** The `images:` key of each sidecar: its name, unless another workload uses that key. */
  readonly sidecarImageKeys: Record<string, string>;
  /** Import id of the service or job. */
  readonly importId: string;
  /** Additive IAM members to create and import (`role`, `member`, import id). */
  readonly grants: ReadonlyArray<{ role: string; member: string; importId: string }>;
  /** Import id of the dedicated service account, when the running one is the library's own. */
  readonly serviceAccountImportId?: string;
  /** What changes on adoption, and what to do by hand. */
  readonly notes: readonly string[];
  /** Fields no prop expresses (never silently dropped). */
  readonly notExpressible: readonly Leftover[];
  /** Fields set by Cloud Run or gcloud, not configuration. */
  readonly ignored: readonly Leftover[];
}

/** Fails with a message naming the file and the problem (bad document, wrong kind …). */
export class AdoptError extends Error {}

/** Override keys per kind: the per-environment values the environment schema takes. */
const OVERRIDE_KEYS = {
  service: ["minInstances", "maxInstances", "concurrency", "cpu", "memory", "timeout"],
  job: ["tasks", "parallelism", "maxRetries", "taskTimeout", "cpu", "memory"],
} as const;

const SYSTEM_ANNOTATIONS: Record<string, string> = {
  "serving.knative.dev/creator": "who created it",
  "serving.knative.dev/lastModifier": "who changed it last",
  "run.googleapis.com/client-name": "the tool that deployed it",
  "run.googleapis.com/client-version": "the tool's version",
  "run.googleapis.com/operation-id": "the last operation",
  "run.googleapis.com/ingress-status": "output of ingress",
  "run.googleapis.com/urls": "output: the service URLs",
  "client.knative.dev/user-image": "the image as typed at deploy time (gcloud)",
  "run.googleapis.com/lastUpdatedTime": "output",
  "run.googleapis.com/creator": "who created it",
  "run.googleapis.com/lastModifier": "who changed it last",
};
const SYSTEM_LABEL =
  /^(run\.googleapis\.com|cloud\.googleapis\.com|serving\.knative\.dev|client\.knative\.dev|autoscaling\.knative\.dev)\//;
const INGRESS = ["all", "internal", "internal-and-cloud-load-balancing"];
const COMPUTE_DEFAULT = /^\d+-compute@developer\.gserviceaccount\.com$/;

/** Maps one parsed export document. */
export function adoptDocument(doc: unknown, file: string, options: AdoptOptions): AdoptedWorkload {
  if (doc === null || typeof doc !== "object")
    throw new AdoptError(
      `${file}: not a YAML mapping; expected the output of gcloud run services|jobs describe NAME --format export`,
    );
  const d = doc as Obj;
  const kind =
    d.apiVersion === "serving.knative.dev/v1" && d.kind === "Service"
      ? "service"
      : d.apiVersion === "run.googleapis.com/v1" && d.kind === "Job"
        ? "job"
        : undefined;
  if (!kind)
    throw new AdoptError(
      `${file}: apiVersion ${show(d.apiVersion)} kind ${show(d.kind)} is not supported; adopt reads serving.knative.dev/v1 Service (gcloud run services describe NAME --format export) and run.googleapis.com/v1 Job (gcloud run jobs describe NAME --format export)`,
    );
  const r = new ExportReader(doc);
  r.take(["apiVersion"]);
  r.take(["kind"]);
  const name = r.take(["metadata", "name"]);
  if (typeof name !== "string" || !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name))
    throw new AdoptError(`${file}: metadata.name is ${show(name)}; expected a Cloud Run name`);
  const region = r.take(["metadata", "labels", "cloud.googleapis.com/location"]);
  if (typeof region !== "string")
    throw new AdoptError(
      `${file}: metadata.labels["cloud.googleapis.com/location"] (the region) is missing`,
    );
  r.ignore(
    ["metadata", "namespace"],
    "the project number; the project id comes from --env or --project",
  );
  for (const key of ["uid", "resourceVersion", "generation", "creationTimestamp", "selfLink"])
    r.ignore(["metadata", key], "set by Cloud Run");
  r.ignore(["status"], "output of Cloud Run");

  const props: Obj = {};
  const overrides: Obj = {};
  const notes: string[] = [];
  const project = options.project;
  const top: Path = ["metadata", "annotations"];
  const annotation = (path: Path, key: string) => r.peek([...path, key]);

  // Labels: user labels → labels; system ones are Cloud Run's.
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries((r.peek(["metadata", "labels"]) as Obj | undefined) ?? {})) {
    if (k === "cloud.googleapis.com/location") continue;
    if (SYSTEM_LABEL.test(k)) r.ignore(["metadata", "labels", k], "a Cloud Run system label");
    else {
      labels[k] = String(v);
      r.take(["metadata", "labels", k]);
    }
  }
  if (Object.keys(labels).length > 0) props.labels = labels;
  for (const [key, why] of Object.entries(SYSTEM_ANNOTATIONS)) r.ignore([...top, key], why);
  const stage = annotation(top, "run.googleapis.com/launch-stage");
  if (stage === "GA") r.ignore([...top, "run.googleapis.com/launch-stage"], "GA, the default");
  mapBinaryAuthorization(r, top, props);

  const tmpl: Path = kind === "service" ? ["spec", "template"] : ["spec", "template"];
  const tmplAnn: Path = [...tmpl, "metadata", "annotations"];
  for (const [key, why] of Object.entries(SYSTEM_ANNOTATIONS)) r.ignore([...tmplAnn, key], why);
  r.ignore([...tmpl, "metadata", "name"], "the revision name: Cloud Run names each revision");
  for (const k of Object.keys((r.peek([...tmpl, "metadata", "labels"]) as Obj | undefined) ?? {}))
    if (SYSTEM_LABEL.test(k))
      r.ignore([...tmpl, "metadata", "labels", k], "a Cloud Run system label");

  // The spec that holds containers: spec.template.spec (service), spec.template.spec.template.spec (job).
  const spec: Path = kind === "service" ? [...tmpl, "spec"] : [...tmpl, "spec", "template", "spec"];
  const c = mapContainers(r, { annotations: tmplAnn, spec, kind });
  Object.assign(props, c.props);
  Object.assign(overrides, c.overrides);

  mapVpc(r, tmplAnn, props);
  mapEncryptionKey(r, tmplAnn, props);

  if (kind === "service") {
    const ingress = r.peek([...top, "run.googleapis.com/ingress"]);
    if (typeof ingress === "string" && INGRESS.includes(ingress)) {
      props.ingress = ingress;
      r.take([...top, "run.googleapis.com/ingress"]);
    }
    const description = r.take([...top, "run.googleapis.com/description"]);
    if (typeof description === "string") props.description = description;
    const audiences = r.peek([...top, "run.googleapis.com/custom-audiences"]);
    if (typeof audiences === "string") {
      try {
        props.customAudiences = JSON.parse(audiences) as string[];
        r.take([...top, "run.googleapis.com/custom-audiences"]);
      } catch {
        r.refuse([...top, "run.googleapis.com/custom-audiences"], "not a JSON list");
      }
    }
    const noIam = r.take([...top, "run.googleapis.com/invoker-iam-disabled"]);
    if (noIam === "true" || noIam === true) props.allowUnauthenticated = true;

    const min = integer(r.take([...tmplAnn, "autoscaling.knative.dev/minScale"]));
    const max = integer(r.take([...tmplAnn, "autoscaling.knative.dev/maxScale"]));
    if (min !== undefined) overrides.minInstances = min;
    if (max !== undefined) overrides.maxInstances = max;
    // The constructs write the service-level minimum equal to minInstances.
    const serviceMin = integer(r.peek([...top, "run.googleapis.com/minScale"]));
    if (serviceMin !== undefined && serviceMin === (min ?? 0))
      r.ignore(
        [...top, "run.googleapis.com/minScale"],
        "the constructs write it from minInstances",
      );

    const throttling = r.take([...tmplAnn, "run.googleapis.com/cpu-throttling"]);
    if (throttling !== undefined) props.cpuThrottling = String(throttling) === "true";
    const affinity = r.peek([...tmplAnn, "run.googleapis.com/sessionAffinity"]);
    if (affinity !== undefined && ["true", "false"].includes(String(affinity))) {
      if (String(affinity) === "true") props.sessionAffinity = true;
      r.take([...tmplAnn, "run.googleapis.com/sessionAffinity"]);
    }
    const boost = r.take([...tmplAnn, "run.googleapis.com/startup-cpu-boost"]);
    if (boost !== undefined && String(boost) === "true") props.cpuBoost = true;
    const envGen = r.peek([...tmplAnn, "run.googleapis.com/execution-environment"]);
    if (envGen === "gen1" || envGen === "gen2") {
      props.executionEnvironment = envGen;
      r.take([...tmplAnn, "run.googleapis.com/execution-environment"]);
    }
    const concurrency = integer(r.take([...spec, "containerConcurrency"]));
    if (concurrency !== undefined) overrides.concurrency = concurrency;
    const timeout = integer(r.take([...spec, "timeoutSeconds"]));
    if (timeout !== undefined) overrides.timeout = `${timeout}s`;
    if (c.port !== undefined) props.port = c.port;
    mapTraffic(r, props);
  } else {
    const tasks = integer(r.take([...tmpl, "spec", "taskCount"]));
    if (tasks !== undefined) overrides.tasks = tasks;
    const parallelism = integer(r.take([...tmpl, "spec", "parallelism"]));
    if (parallelism !== undefined) overrides.parallelism = parallelism;
    const retries = integer(r.take([...spec, "maxRetries"]));
    if (retries !== undefined) overrides.maxRetries = retries;
    const timeout = integer(r.take([...spec, "timeoutSeconds"]));
    if (timeout !== undefined) overrides.taskTimeout = `${timeout}s`;
    // Jobs run in the second generation execution environment (Cloud Run docs, "Create jobs").
    if (r.peek([...tmplAnn, "run.googleapis.com/execution-environment"]) === "gen2")
      r.ignore([...tmplAnn, "run.googleapis.com/execution-environment"], "jobs run in gen2 anyway");
  }

  // Identity.
  const resourceId = `projects/${project}/locations/${region}/${kind === "service" ? "services" : "jobs"}/${name}`;
  const sa = r.take([...spec, "serviceAccountName"]);
  let serviceAccountImportId: string | undefined;
  const dedicated = `${accountId(name, kind === "service" ? "run" : "job")}@${project}.iam.gserviceaccount.com`;
  if (typeof sa !== "string" || COMPUTE_DEFAULT.test(sa)) {
    notes.push(
      `runs as the Compute Engine default service account today${typeof sa === "string" ? ` (${sa})` : ""}; the entry gives it a dedicated account ${dedicated}, created on the first apply. Grant that account what the workload reads (secrets in \`secrets\` are granted automatically); the default account keeps its roles.`,
    );
  } else if (sa === dedicated) {
    serviceAccountImportId = `projects/${project}/serviceAccounts/${sa}`;
    notes.push(
      `runs as ${sa}, the account the library creates for it: the entry leaves serviceAccount unset and imports the account, so Terraform manages it from now on.`,
    );
  } else {
    props.serviceAccount = sa;
    notes.push(
      `runs as ${sa}: kept with serviceAccount. The library creates no account when one is given, so there is nothing to import, and Terraform never changes or deletes that account. Other environments need an account of that name (the project id in it becomes \${env.project}), or drop serviceAccount there to get a dedicated one.`,
    );
  }

  const grants = mapIam(options.iamPolicy, resourceId, kind, props, notes, file);
  if (
    kind === "service" &&
    props.allowUnauthenticated &&
    !grants.some((g) => g.member === "allUsers")
  )
    notes.push(
      "allowUnauthenticated: the environment file needs allowPublic: true, or the checks fail synth (CHECK_PUBLIC_SERVICE).",
    );

  const images: Record<string, string> = {};
  if (c.images.main) images[name] = c.images.main;
  const sidecarImageKeys: Record<string, string> = {};
  for (const [sidecar, image] of Object.entries(c.images.sidecars)) {
    images[sidecar] = image;
    sidecarImageKeys[sidecar] = sidecar;
  }
  if (region !== options.envRegion) props.region = region;

  const keys = OVERRIDE_KEYS[kind] as readonly string[];
  const envOverrides = Object.fromEntries(
    Object.entries(overrides).filter(([k, v]) => keys.includes(k) && v !== undefined),
  );
  const unread = r.unread().map((l) => ({ ...l, why: why(l.field) }));
  return {
    file,
    kind,
    name,
    region,
    project,
    props: parametrize(props, project, options.envRegion) as Obj,
    overrides: envOverrides,
    images,
    sidecarImageKeys,
    importId: resourceId,
    grants,
    serviceAccountImportId,
    notes,
    notExpressible: [...r.refused, ...unread],
    ignored: r.ignored,
  };
}

function integer(v: unknown): number | undefined {
  const n = typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) ? n : undefined;
}

/** `run.googleapis.com/binary-authorization` (`default` or a policy) and its break-glass justification. */
function mapBinaryAuthorization(r: ExportReader, top: Path, props: Obj): void {
  const policy = r.take([...top, "run.googleapis.com/binary-authorization"]);
  if (typeof policy !== "string") return;
  const breakglass = r.take([...top, "run.googleapis.com/binary-authorization-breakglass"]);
  props.binaryAuthorization =
    policy === "default"
      ? {
          useDefault: true,
          ...(typeof breakglass === "string" ? { breakglassJustification: breakglass } : {}),
        }
      : { policy };
}

/**
 * VPC egress: Direct VPC egress (`network-interfaces`, JSON, one interface) or a Serverless VPC
 * Access connector (`vpc-access-connector`), each with `vpc-access-egress`.
 */
function mapVpc(r: ExportReader, ann: Path, props: Obj): void {
  const nicPath = [...ann, "run.googleapis.com/network-interfaces"];
  const connectorPath = [...ann, "run.googleapis.com/vpc-access-connector"];
  const nicText = r.peek(nicPath);
  const connector = r.peek(connectorPath);
  const vpc: Obj = {};
  if (typeof nicText === "string") {
    if (connector !== undefined) {
      // Cloud Run takes one of the two; neither is adopted, both are reported.
      r.refuse(nicPath, "a connector and Direct VPC egress together; keep one");
      return r.refuse(connectorPath, "a connector and Direct VPC egress together; keep one");
    }
    let nics: unknown;
    try {
      nics = JSON.parse(nicText);
    } catch {
      return r.refuse(nicPath, "not valid JSON");
    }
    if (!Array.isArray(nics) || nics.length !== 1)
      return r.refuse(nicPath, "Direct VPC egress takes exactly one network interface");
    const nic = nics[0] as Obj;
    if (typeof nic.network === "string") vpc.network = nic.network;
    if (typeof nic.subnetwork === "string") vpc.subnetwork = nic.subnetwork;
    if (Array.isArray(nic.tags)) vpc.tags = nic.tags.map(String);
    r.take(nicPath);
  } else if (typeof connector === "string" && connector !== "") {
    vpc.connector = connector;
    r.take(connectorPath);
  } else return;
  const egress = r.peek([...ann, "run.googleapis.com/vpc-access-egress"]);
  if (egress === "all-traffic" || egress === "private-ranges-only") {
    vpc.egress = egress;
    r.take([...ann, "run.googleapis.com/vpc-access-egress"]);
  }
  props.vpc = vpc;
}

/** `run.googleapis.com/encryption-key` (CMEK, services and jobs) → `encryptionKey`. */
function mapEncryptionKey(r: ExportReader, ann: Path, props: Obj): void {
  const key = r.peek([...ann, "run.googleapis.com/encryption-key"]);
  if (typeof key !== "string" || key === "") return;
  props.encryptionKey = key;
  r.take([...ann, "run.googleapis.com/encryption-key"]);
}

/** `spec.traffic`; 100 % to the latest revision without a tag is the default and not written. */
function mapTraffic(r: ExportReader, props: Obj): void {
  const list = r.peek(["spec", "traffic"]);
  if (!Array.isArray(list)) return;
  const targets = list.map((t: Obj) => ({
    percent: integer(t.percent) ?? 0,
    ...(t.latestRevision === true ? { latest: true } : {}),
    ...(typeof t.revisionName === "string" ? { revision: t.revisionName } : {}),
    ...(typeof t.tag === "string" ? { tag: t.tag } : {}),
  }));
  const known = list.every(
    (t: Obj) =>
      t &&
      Object.keys(t).every((k) => ["percent", "latestRevision", "revisionName", "tag"].includes(k)),
  );
  if (!known) return; // unknown keys stay unread: reported
  const isDefault =
    targets.length === 1 &&
    targets[0].latest &&
    targets[0].percent === 100 &&
    !("tag" in targets[0]);
  if (isDefault) r.ignore(["spec", "traffic"], "100 % to the latest revision, the default");
  else {
    r.take(["spec", "traffic"]);
    props.traffic = targets;
  }
}

/** The IAM policy's bindings: run.invoker → grants (allUsers → allowUnauthenticated), other roles → grants. */
function mapIam(
  policy: unknown,
  resourceId: string,
  kind: "service" | "job",
  props: Obj,
  notes: string[],
  file: string,
): Array<{ role: string; member: string; importId: string }> {
  if (policy === undefined) return [];
  const bindings = (policy as { bindings?: unknown }).bindings;
  if (bindings !== undefined && !Array.isArray(bindings))
    throw new AdoptError(
      `IAM policy for ${file}: bindings is not a list; expected gcloud … get-iam-policy --format json`,
    );
  const out: Array<{ role: string; member: string; importId: string }> = [];
  for (const b of (bindings ?? []) as Obj[]) {
    const role = String(b.role);
    if (b.condition !== undefined) {
      notes.push(
        `IAM binding ${role} has a condition; not adopted (the constructs grant without conditions). Keep managing it outside Terraform.`,
      );
      continue;
    }
    for (const member of (b.members as string[] | undefined) ?? []) {
      if (kind === "service" && role === "roles/run.invoker" && member === "allUsers") {
        props.allowUnauthenticated = true;
        notes.push(
          "allUsers holds roles/run.invoker: adopted as allowUnauthenticated: true (invoker_iam_disabled, which needs no allUsers grant and works under domain-restricted sharing). The environment file needs allowPublic: true. The allUsers member stays outside Terraform; remove it after the first apply with: gcloud run services remove-iam-policy-binding NAME --region REGION --member allUsers --role roles/run.invoker",
        );
        continue;
      }
      out.push({ role, member, importId: `${resourceId} ${role} ${member}` });
    }
  }
  return out;
}

/**
 * Gives each image one `images:` key across the adopted workloads: a sidecar whose name is taken
 * by another workload or sidecar with a different image is keyed `<workload>-<sidecar>`
 * (the same image under the same name is shared).
 */
export function assignImageKeys(workloads: readonly AdoptedWorkload[]): AdoptedWorkload[] {
  const taken = new Map<string, string>();
  for (const w of workloads) if (w.images[w.name]) taken.set(w.name, w.images[w.name]);
  return workloads.map((w) => {
    const images: Record<string, string> = {};
    if (w.images[w.name]) images[w.name] = w.images[w.name];
    const keys: Record<string, string> = {};
    for (const [sidecar, key] of Object.entries(w.sidecarImageKeys)) {
      const image = w.images[key];
      let chosen = key;
      for (let n = 2; taken.has(chosen) && taken.get(chosen) !== image; n++)
        chosen = n === 2 ? `${w.name}-${sidecar}` : `${w.name}-${sidecar}-${n}`;
      taken.set(chosen, image);
      keys[sidecar] = chosen;
      images[chosen] = image;
    }
    return { ...w, images, sidecarImageKeys: keys };
  });
}

/** Explains a field left out. */
function why(field: string): string {
  const soon: Record<string, string> = {
    "run.googleapis.com/sessionAffinity": "session affinity is true or false",
    "run.googleapis.com/vpc-access-connector":
      "a connector and Direct VPC egress (network-interfaces) together: keep one",
    "run.googleapis.com/post-key-revocation-action-type":
      "provider 6.50 has the key-revocation action on worker pools only (encryptionKeyRevocationAction), not on services or jobs",
    "run.googleapis.com/encryption-key-shutdown-hours":
      "provider 6.50 has the key-revocation shutdown delay on worker pools only (encryptionKeyShutdownDuration), not on services or jobs",
    "run.googleapis.com/launch-stage":
      "the constructs deploy GA features only (no launch_stage prop)",
    "run.googleapis.com/execution-environment":
      "no executionEnvironment prop on jobs (jobs use gen2)",
    "run.googleapis.com/minScale":
      "a service-level minimum different from the revision's minScale; the constructs write both equal (minInstances)",
    "run.googleapis.com/scalingMode":
      "the constructs write automatic scaling (manual scaling has no prop)",
    "run.googleapis.com/manualInstanceCount": "manual scaling has no prop",
    "run.googleapis.com/iap-enabled": "Identity-Aware Proxy on Cloud Run has no prop",
    "run.googleapis.com/function-target": "source deploys: use the source prop by hand",
    "run.googleapis.com/base-images": "automatic base-image updates: set baseImage by hand",
    "run.googleapis.com/binary-authorization-breakglass":
      "a break-glass justification goes with the default policy only",
    "run.googleapis.com/ingress": "not one of all, internal, internal-and-cloud-load-balancing",
  };
  for (const [key, reason] of Object.entries(soon)) if (field.includes(`"${key}"`)) return reason;
  if (field.startsWith("spec.template.metadata.labels"))
    return "revision (template) labels have no prop; resource labels are in labels";
  if (/\.annotations\[/.test(field)) return "no prop of the constructs expresses this annotation";
  return "no prop of the constructs expresses this field";
}

/**
 * The environment's project id inside a string becomes `${env.project}` (service account
 * emails, Cloud SQL connection names, network paths), and `:REGION:` in Cloud SQL connection names
 * `${env.region}` when the workload runs in the environment's region, so the entry fits every
 * environment.
 */
function parametrize(value: unknown, project: string, region?: string): unknown {
  if (typeof value === "string") {
    let text = value;
    const sql = /^([^:]+):([^:]+):([^:]+)$/.exec(value);
    if (!value.includes(project) && !(sql && sql[2] === region)) return value;
    const parts: string[] = [];
    if (sql) {
      parts.push(sql[1] === project ? "${env.project}" : escapeTemplate(sql[1]));
      parts.push(sql[2] === region ? "${env.region}" : escapeTemplate(sql[2]));
      parts.push(escapeTemplate(sql[3]));
      return new Expr("`" + parts.join(":") + "`");
    }
    text = value.split(project).map(escapeTemplate).join("${env.project}");
    if (region) text = text.split(`/regions/${region}/`).join("/regions/${env.region}/");
    return new Expr("`" + text + "`");
  }
  if (Array.isArray(value)) return value.map((v) => parametrize(v, project, region));
  if (value !== null && typeof value === "object" && !(value instanceof Expr)) {
    return Object.fromEntries(
      Object.entries(value as Obj).map(([k, v]) => [k, parametrize(v, project, region)]),
    );
  }
  return value;
}

function escapeTemplate(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${");
}
