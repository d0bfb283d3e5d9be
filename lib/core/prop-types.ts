/**
 * The JavaScript types of every construct's props, checked before anything else reads them:
 * JavaScript callers, parsed config files and `as any` casts bypass the compiler, and a `null`
 * inside a list, a string where a list belongs or `1e21` where a count belongs would otherwise
 * crash with a TypeError deep inside the library or be written as garbage. One table per
 * construct; each wrong value is one problem in the shared message shape, and the construct throws
 * them together before any other validation runs. Values that are cdktf tokens are not checked
 * (they resolve at apply time). Shapes that a domain rule already reports with its own code (an
 * image that is not a string, a secret given as a string) carry that code here too.
 */
import { IConstruct } from "constructs";
import { Problem, Problems, problem, errors } from "./errors";
import { isUnresolved } from "./values";

/** A prop's type: a leaf, a list, a map, an object with known keys, or a union by `type`. */
export type PropType =
  | "string"
  | "number"
  | "boolean"
  /** A string or a number (durations, quantities). */
  | "string-or-number"
  /** Not checked here (a domain rule reports every malformed shape). */
  | "any"
  | { readonly list: PropType; readonly code?: string | undefined }
  | { readonly map: PropType; readonly code?: string | undefined }
  | { readonly object: Readonly<Record<string, PropType>>; readonly code?: string | undefined }
  | { readonly variants: Readonly<Record<string, Readonly<Record<string, PropType>>>> }
  | { readonly leaf: "string" | "number" | "boolean" | "string-or-number"; readonly code: string };

export type PropTypes = Readonly<Record<string, PropType>>;

const DEFAULT_CODE = "CR_PROP_TYPE";

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const WHAT: Record<string, string> = {
  string: "a string",
  number: "a finite number Terraform can store exactly (at most 9007199254740991)",
  boolean: "true or false",
  "string-or-number": "a string or a number",
};

const FIX: Record<string, string> = {
  string: "Quote the value",
  number: "Write a plain number",
  boolean: "Write true or false without quotes",
  "string-or-number": 'Write e.g. "300s" or 300',
};

function leafOk(kind: string, v: unknown): boolean {
  switch (kind) {
    case "string":
      return typeof v === "string";
    case "number":
      return typeof v === "number" && Number.isFinite(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER;
    case "boolean":
      return typeof v === "boolean";
    case "string-or-number":
      return typeof v === "string" || leafOk("number", v);
    default:
      return true;
  }
}

/** Problems of `value` (at `prop`) against `type`. `undefined` is always allowed (unset). */
function check(
  scope: IConstruct,
  prop: string,
  value: unknown,
  type: PropType,
  out: Problem[],
): void {
  if (value === undefined || type === "any" || isUnresolved(value)) return;
  if (typeof type === "string" || "leaf" in type) {
    const kind = typeof type === "string" ? type : type.leaf;
    const code = typeof type === "string" ? DEFAULT_CODE : type.code;
    if (!leafOk(kind, value))
      out.push(problem(code, scope, prop, value, `${prop} is ${WHAT[kind]}`, FIX[kind]));
    return;
  }
  if ("list" in type) {
    if (!Array.isArray(value)) {
      out.push(errors.notAList(scope, value, prop));
      return;
    }
    value.forEach((v, i) => {
      if (v === undefined || v === null)
        out.push(
          problem(
            type.code ?? DEFAULT_CODE,
            scope,
            `${prop}[${i}]`,
            v,
            `${prop} holds no empty entries`,
            "Remove the entry or give it a value",
          ),
        );
      else check(scope, `${prop}[${i}]`, v, type.list, out);
    });
    return;
  }
  if (!isPlainObject(value)) {
    out.push(
      problem(
        ("code" in type ? type.code : undefined) ?? DEFAULT_CODE,
        scope,
        prop,
        value,
        "map" in type
          ? `${prop} is a map of names to values, { NAME: value }`
          : `${prop} is an object, { … }`,
        "Write it as an object, { … }",
      ),
    );
    return;
  }
  if ("map" in type) {
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null)
        out.push(
          problem(
            type.code ?? DEFAULT_CODE,
            scope,
            `${prop}.${k}`,
            v,
            `every entry of ${prop} has a value`,
            `Give ${prop}.${k} a value or remove it`,
          ),
        );
      else check(scope, `${prop}.${k}`, v, type.map, out);
    }
    return;
  }
  if ("variants" in type) {
    const fields = type.variants[String(value.type)];
    // An unknown `type` is reported by the domain rule (e.g. CR_VOLUME_TYPE, listing the types).
    if (fields) objectProblems(scope, prop, value, fields, out);
    return;
  }
  objectProblems(scope, prop, value, type.object, out);
}

function objectProblems(
  scope: IConstruct,
  prop: string,
  value: Record<string, unknown>,
  fields: Readonly<Record<string, PropType>>,
  out: Problem[],
): void {
  for (const [k, v] of Object.entries(value)) {
    const field = fields[k];
    if (field === undefined) {
      if (v !== undefined) out.push(errors.unknownNestedProp(scope, v, prop, k, fields));
      continue;
    }
    if (v === null)
      out.push(
        problem(
          DEFAULT_CODE,
          scope,
          `${prop}.${k}`,
          v,
          `${prop}.${k} is not null`,
          "Omit it to leave it unset, or give it a value",
        ),
      );
    else check(scope, `${prop}.${k}`, v, field, out);
  }
}

/**
 * The problems of `props` against `types` (each known prop), plus one when `props` itself is not
 * an object. `closed`: a prop not in `types` is a `CR_UNKNOWN_PROP` (constructs that do not check
 * unknown props themselves).
 */
export function propTypeProblems(
  scope: IConstruct,
  props: unknown,
  types: PropTypes,
  closed = false,
): Problem[] {
  if (!isPlainObject(props))
    return [
      problem(
        DEFAULT_CODE,
        scope,
        "props",
        props,
        "the props are an object, { … }",
        "Pass an object (an empty one, {}, where every prop is optional)",
      ),
    ];
  const out: Problem[] = [];
  for (const [k, v] of Object.entries(props)) {
    if (!closed || k in types || v === undefined) continue;
    out.push(errors.unknownProp(scope, v, k, types));
  }
  for (const [k, type] of Object.entries(types)) {
    const v = props[k];
    if (v === null)
      out.push(
        problem(
          DEFAULT_CODE,
          scope,
          k,
          v,
          `${k} is not null`,
          "Omit it to leave it unset, or give it a value",
        ),
      );
    else check(scope, k, v, type, out);
  }
  return out;
}

/** Throws the type problems of `props` as one ConfigError (nothing else has read them yet). */
export function assertPropTypes(
  scope: IConstruct,
  props: unknown,
  types: PropTypes,
  closed = false,
): void {
  const problems = new Problems(scope);
  for (const p of propTypeProblems(scope, props, types, closed)) problems.add(p);
  problems.throwIfAny();
}

/**
 * The same check for one argument of a public method (`grantDeployers(members)`,
 * `repo.image(ref)`, `onEvent(id, options)` …); `required`: `undefined` is a problem too.
 */
export function assertArg(
  scope: IConstruct,
  name: string,
  value: unknown,
  type: PropType,
  required = false,
): void {
  const problems = new Problems(scope);
  if (required && (value === undefined || value === null))
    problems.add(problem(DEFAULT_CODE, scope, name, value, `${name} is required`, `Pass ${name}`));
  else
    for (const p of propTypeProblems(scope, { [name]: value }, { [name]: type }, true))
      problems.add(p);
  problems.throwIfAny();
}

/** Options of `CloudRunService.onEvent` (CR_SERVICE_EVENT reports a malformed event type). */
export const EVENT_TRIGGER_TYPE: PropType = {
  object: {
    eventType: "any",
    filters: { map: "string" },
    path: "string",
    serviceAccount: "string",
  },
};

// ---------------------------------------------------------------------------------------------
// The tables
// ---------------------------------------------------------------------------------------------

const strings = (code?: string): PropType => ({ list: "string", code });
const stringMap: PropType = { map: "string" };

const PROBE: PropType = {
  object: {
    httpGet: { object: { path: "string", port: "number", headers: stringMap } },
    tcpSocket: { object: { port: "number" } },
    grpc: { object: { port: "number", service: "string" } },
    initialDelaySeconds: "number",
    periodSeconds: "number",
    timeoutSeconds: "number",
    failureThreshold: "number",
  },
};

/** A container's props (the main container and each sidecar). */
const CONTAINER: PropTypes = {
  image: { leaf: "string", code: "CR_IMAGE_REF" },
  command: strings(),
  args: { list: { leaf: "string", code: "CR_ARGS" }, code: "CR_ARGS" },
  env: stringMap,
  // CR_SECRET_REF / CR_SECRET_VERSION report every malformed entry, naming the field.
  secrets: { map: "any", code: "CR_SECRET_REF" },
  cpu: "string-or-number",
  memory: "string-or-number",
  startAfter: strings(),
};

const VOLUME_BASE = { type: "string", mountPath: "string" } as const;

/** Props every workload (service, job, worker pool) shares. */
export const WORKLOAD_TYPES: PropTypes = {
  ...CONTAINER,
  name: "string",
  project: "string",
  region: "string",
  serviceAccount: "string",
  labels: stringMap,
  vpc: {
    object: {
      network: "string",
      subnetwork: "string",
      egress: "string",
      tags: strings(),
      connector: "string",
    },
  },
  encryptionKey: { leaf: "string", code: "CR_ENCRYPTION_KEY" },
  volumes: {
    map: {
      variants: {
        secret: {
          ...VOLUME_BASE,
          secret: "string",
          items: { map: { leaf: "string", code: "CR_SECRET_VERSION" } },
          defaultMode: "number",
        },
        "cloud-sql": { ...VOLUME_BASE, instances: strings("CR_CLOUD_SQL") },
        gcs: { ...VOLUME_BASE, bucket: "string", readOnly: "boolean" },
        nfs: { ...VOLUME_BASE, server: "string", path: "string", readOnly: "boolean" },
        "in-memory": { ...VOLUME_BASE, sizeLimit: "string-or-number" },
      },
    },
  },
  sidecars: {
    map: {
      object: { ...CONTAINER, volumeMounts: stringMap, startupProbe: PROBE },
    },
  },
  containerName: "string",
  gpu: { object: { type: "string", zonalRedundancy: "boolean" } },
  deletionProtection: "boolean",
  imageManagedBy: "string",
  ciLabels: strings(),
  binaryAuthorization: {
    object: { useDefault: "boolean", policy: "string", breakglassJustification: "string" },
  },
};

/** The props of each workload kind beyond the shared ones. */
export const KIND_TYPES: Readonly<Record<string, PropTypes>> = {
  service: {
    port: "number",
    http2: "boolean",
    allowUnauthenticated: "boolean",
    invokers: strings("CR_IAM_MEMBER"),
    ingress: "string",
    minInstances: "number",
    maxInstances: "number",
    concurrency: "number",
    timeout: "string-or-number",
    cpuThrottling: "boolean",
    cpuBoost: "boolean",
    executionEnvironment: "string",
    startupProbe: PROBE,
    livenessProbe: PROBE,
    traffic: {
      list: {
        object: { percent: "number", latest: "boolean", revision: "string", tag: "string" },
      },
    },
    customAudiences: strings("CR_SERVICE_AUDIENCE"),
    description: "string",
    sessionAffinity: { leaf: "boolean", code: "CR_SESSION_AFFINITY" },
    // Removed: CR_SERVICE_SOURCE reports it, pointing to CloudRunFunction and build-image.
    source: "any",
    baseImage: "string",
    automaticUpdates: "boolean",
  },
  job: {
    tasks: "number",
    parallelism: "number",
    maxRetries: "number",
    taskTimeout: "string-or-number",
    startupProbe: PROBE,
    schedule: { object: { cron: "string", timeZone: "string" } },
  },
  "worker-pool": {
    instances: "number",
    encryptionKeyRevocationAction: "string",
    encryptionKeyShutdownDuration: "string-or-number",
  },
};

export const IAM_BINDING_TYPES: PropTypes = {
  // CR_IAM_TARGET, CR_IAM_ROLE and CR_IAM_MEMBER report malformed targets, roles and members.
  target: "any",
  role: "any",
  members: "any",
  authoritative: "boolean",
};

export const ARTIFACT_REPOSITORY_TYPES: PropTypes = {
  name: "string",
  project: "string",
  region: "string",
  remote: "string",
  keepVersions: "number",
  deleteUntaggedAfter: "string-or-number",
  description: "string",
  labels: stringMap,
};
