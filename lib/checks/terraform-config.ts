/**
 * Reading the synthesized Terraform JSON of Cloud Run and IAM resources, for the rules: where a
 * workload keeps its containers and identity, what `lifecycle.ignore_changes` covers, which
 * members an IAM resource grants. Values only known at apply time (`${…}`) count as unknown.
 */
import type { CheckedResource } from "./checked-resource";
import { ImageRef, parseImageRef } from "../core/image-ref";
import type { WorkloadKind } from "../core/kinds";

export type Json = Readonly<Record<string, unknown>>;

export type { WorkloadKind };

const WORKLOAD_TYPES: Record<string, WorkloadKind> = {
  google_cloud_run_v2_service: "service",
  google_cloud_run_v2_job: "job",
  google_cloud_run_v2_worker_pool: "worker-pool",
};

/** The Cloud Run workload kind of a Terraform type, if it is one. */
export function workloadKind(type: string): WorkloadKind | undefined {
  return WORKLOAD_TYPES[type];
}

export function isWorkload(type: string): boolean {
  return type in WORKLOAD_TYPES;
}

/** True for a value written in the configuration (not a `${…}` reference or expression). */
export function isLiteral(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "string") return !value.includes("${");
  return true;
}

/** The string when it is a literal, else `undefined`. */
export function literalString(value: unknown): string | undefined {
  return typeof value === "string" && isLiteral(value) ? value : undefined;
}

/** A nested block: cdktf writes single blocks as objects; an override may write a list. */
export function block(value: unknown): Json | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === "object" ? (first as Json) : undefined;
}

/** A repeated block as a list (a single object counts as a list of one). */
export function blocks(value: unknown): Json[] {
  if (Array.isArray(value))
    return value.filter((v): v is Json => v !== null && typeof v === "object");
  return value !== null && typeof value === "object" ? [value as Json] : [];
}

/** The revision template (where containers and the identity live) and its attribute path. */
export function revisionTemplate(r: CheckedResource): { block?: Json | undefined; path: string } {
  if (r.type === "google_cloud_run_v2_job") {
    return { block: block(block(r.config.template)?.template), path: "template.template" };
  }
  return { block: block(r.config.template), path: "template" };
}

export interface ContainerAt {
  /** `template.containers[0]` (or `template.template.containers[0]` for a job). */
  readonly path: string;
  readonly index: number;
  readonly container: Json;
}

/** Every container of a workload, main container first. */
export function containersOf(r: CheckedResource): ContainerAt[] {
  const t = revisionTemplate(r);
  return blocks(t.block?.containers).map((container, index) => ({
    path: `${t.path}.containers[${index}]`,
    index,
    container,
  }));
}

export interface DeployedImage {
  /** `template.containers[0].image` */
  readonly prop: string;
  readonly image: string;
  readonly ref: ImageRef;
}

/**
 * The images Terraform deploys for a workload: literal, well-formed references, leaving out the
 * main container of a source build (Cloud Build sets it) and images `lifecycle.ignore_changes`
 * covers (`imageManagedBy: "external"`: CI sets them).
 */
export function deployedImages(r: CheckedResource): DeployedImage[] {
  // A build_config with a source location (written with the raw provider class): Cloud Build
  // would set the image. A build_config with only enable_automatic_updates (base-image updates of
  // an image deploy) deploys the image as written, so it is checked.
  const builtFromSource = block(r.config.build_config)?.source_location !== undefined;
  return containersOf(r).flatMap((c): DeployedImage[] => {
    if (builtFromSource && c.index === 0) return [];
    const image = literalString(c.container.image);
    if (!image) return [];
    const prop = `${c.path}.image`;
    if (ignoresChanges(r, prop)) return [];
    const parsed = parseImageRef(image);
    return parsed.ok ? [{ prop, image, ref: parsed.ref }] : [];
  });
}

/**
 * True when the resource's `lifecycle.ignore_changes` covers `attribute` (a path such as
 * `template.containers[0].image`): `"all"`, the attribute itself, or a block above it. Indexes of
 * single blocks (`template[0]`) may be written or left out.
 */
export function ignoresChanges(r: CheckedResource, attribute: string): boolean {
  const ignore = block(r.config.lifecycle)?.ignore_changes;
  if (ignore === "all") return true;
  if (!Array.isArray(ignore)) return false;
  const target = pathTokens(attribute);
  return ignore.some((entry) => {
    if (typeof entry !== "string") return false;
    if (entry.trim() === "all") return true;
    const tokens = pathTokens(entry);
    return (
      tokens.length > 0 && tokens.length <= target.length && tokens.every((t, i) => t === target[i])
    );
  });
}

/** `template[0].containers[1].image` → `template containers 1 image`: single-block [0] dropped. */
function pathTokens(path: string): string[] {
  const out: string[] = [];
  for (const m of path
    .replace(/\s/g, "")
    .matchAll(/([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\.(\d+)/g)) {
    if (m[1]) out.push(m[1]);
    else {
      const index = m[2] ?? m[3];
      // `containers` and `volumes` are lists; every other block here is a single block.
      const previous = out[out.length - 1];
      if (previous === "containers" || previous === "volumes" || previous === "env")
        out.push(index);
    }
  }
  return out;
}

/** One member granted one role by an IAM resource. */
export interface Grant {
  /** Attribute path of the member: `member`, `members[2]`, `policy_data`. */
  readonly prop: string;
  /** @default - none: the resource grants no single role (an `_iam_policy`'s `policy_data`) */
  readonly role?: string | undefined;
  readonly member: string;
}

export const PUBLIC_MEMBERS: readonly string[] = ["allUsers", "allAuthenticatedUsers"];

/** True for `allUsers` and `allAuthenticatedUsers`. */
export function isPublicMember(member: string): boolean {
  return PUBLIC_MEMBERS.includes(member);
}

export type IamKind = "member" | "binding" | "policy";

/** `member`, `binding` or `policy` for a `google_*_iam_*` type. */
export function iamKind(type: string): IamKind | undefined {
  const m = /^google_.+_iam_(member|binding|policy)$/.exec(type);
  return m ? (m[1] as IamKind) : undefined;
}

/**
 * The literal members an IAM resource grants, with their roles: `member` of an `_iam_member`,
 * `members` of an `_iam_binding`, the bindings of a literal `policy_data` of an `_iam_policy`.
 */
export function grantsOf(r: CheckedResource): Grant[] {
  const kind = iamKind(r.type);
  const role = literalString(r.config.role);
  if (kind === "member") {
    const member = literalString(r.config.member);
    return member ? [{ prop: "member", role, member }] : [];
  }
  if (kind === "binding") {
    const members = Array.isArray(r.config.members) ? r.config.members : [];
    return members.flatMap((m, i) => {
      const member = literalString(m);
      return member ? [{ prop: `members[${i}]`, role, member }] : [];
    });
  }
  if (kind === "policy") return policyGrants(r.config.policy_data);
  return [];
}

function policyGrants(policyData: unknown): Grant[] {
  const text = literalString(policyData);
  if (!text) return [];
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    return [];
  }
  const bindings = (policy as { bindings?: unknown })?.bindings;
  if (!Array.isArray(bindings)) return [];
  return bindings.flatMap((b: { role?: unknown; members?: unknown }) =>
    (Array.isArray(b?.members) ? b.members : [])
      .filter((m): m is string => typeof m === "string")
      .map((member) => ({
        prop: "policy_data",
        role: typeof b.role === "string" ? b.role : undefined,
        member,
      })),
  );
}

/** The level an IAM resource grants on: project, folder, organization, or a single resource. */
export function iamLevel(type: string): "project" | "folder" | "organization" | "resource" {
  if (/^google_project_iam_/.test(type)) return "project";
  if (/^google_folder_iam_/.test(type)) return "folder";
  if (/^google_organization_iam_/.test(type)) return "organization";
  return "resource";
}
