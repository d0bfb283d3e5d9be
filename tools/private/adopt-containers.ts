/**
 * The revision template of an export (containers, volumes, probes, the template annotations that
 * configure them) → the shared workload props of `lib/` (`WorkloadProps`, `SidecarProps`,
 * `Probe`, `Volume`). The field names are those of the Cloud Run Admin API v1 (the YAML of
 * `--format export` maps to it: https://cloud.google.com/run/docs/reference/yaml/v1,
 * https://cloud.google.com/run/docs/reference/rest/v1/Container,
 * https://cloud.google.com/run/docs/reference/rest/v1/Volume).
 */
import { ExportReader, Path } from "./adopt-reader";

type Obj = Record<string, unknown>;

/** Where the template lives and what the workload kind allows. */
export interface TemplatePaths {
  /** The revision (service) or task (job) template metadata annotations. */
  readonly annotations: Path;
  /** `…spec` holding containers and volumes. */
  readonly spec: Path;
  readonly kind: "service" | "job";
}

/** What the containers contribute: main-container props, sidecars, volumes, images. */
export interface ContainerResult {
  /** Props of the main container and the workload (command, env, secrets, probes, volumes …). */
  readonly props: Obj;
  /** Per-environment values (cpu, memory) for the environment file's overrides. */
  readonly overrides: Obj;
  /** Image of each container: `main` for the workload, the sidecar's name otherwise. */
  readonly images: { readonly main?: string; readonly sidecars: Record<string, string> };
  /** Port of the main container (services). */
  readonly port?: number;
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
const num = (v: unknown): number | undefined => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
};

/** Reads containers, volumes and their template annotations. */
export function mapContainers(r: ExportReader, at: TemplatePaths): ContainerResult {
  const ann = (key: string): Path => [...at.annotations, key];
  const containers = (r.peek([...at.spec, "containers"]) as unknown[] | undefined) ?? [];
  // The ingress container of a service is the one with a port; a job's main container is the first.
  let mainIndex = at.kind === "service" ? containers.findIndex((c) => isObj(c) && c.ports) : 0;
  if (mainIndex < 0) mainIndex = 0;

  // Secrets of another project appear under an alias: run.googleapis.com/secrets "alias:projects/N/secrets/S,…".
  const aliases = new Map<string, string>();
  const aliasText = str(r.take(ann("run.googleapis.com/secrets")));
  for (const pair of aliasText?.split(",") ?? []) {
    const [alias, target] = pair.split(":");
    if (alias && target) aliases.set(alias.trim(), target.trim());
  }
  const secretName = (name: string) => aliases.get(name) ?? name;

  // Start order: run.googleapis.com/container-dependencies '{"app":["otel"]}'.
  const depsPath = ann("run.googleapis.com/container-dependencies");
  const depsText = str(r.peek(depsPath));
  let deps: Record<string, string[]> = {};
  if (depsText !== undefined) {
    try {
      deps = JSON.parse(depsText) as Record<string, string[]>;
      r.take(depsPath);
    } catch {
      r.refuse(depsPath, "not valid JSON");
    }
  }

  const volumes = mapVolumes(r, [...at.spec, "volumes"], secretName);
  const sqlPath = ann("run.googleapis.com/cloudsql-instances");
  const sql = str(r.take(sqlPath));
  if (sql) {
    // v1 mounts the sockets at /cloudsql in every container; v2 needs a volume and a mount.
    volumes.cloudsql = {
      type: "cloud-sql",
      instances: sql
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      mountPath: "/cloudsql",
    };
  }

  const props: Obj = {};
  const overrides: Obj = {};
  const sidecars: Obj = {};
  const images: { main?: string; sidecars: Record<string, string> } = { sidecars: {} };
  let port: number | undefined;

  containers.forEach((_c, i) => {
    const base: Path = [...at.spec, "containers", i];
    const name = str(r.take([...base, "name"]));
    const image = str(r.take([...base, "image"]));
    const main = i === mainIndex;
    const out: Obj = {};
    const command = r.take([...base, "command"]);
    if (Array.isArray(command)) out.command = command.map(String);
    const args = r.take([...base, "args"]);
    if (Array.isArray(args)) out.args = args.map(String);
    Object.assign(out, mapEnv(r, [...base, "env"], secretName));

    const limits = [...base, "resources", "limits"];
    const cpu = str(r.take([...limits, "cpu"]));
    const memory = str(r.take([...limits, "memory"]));
    (main ? overrides : out).cpu = cpu;
    (main ? overrides : out).memory = memory;
    if (main) {
      const gpuPath = [...limits, "nvidia.com/gpu"];
      const gpu = num(r.peek(gpuPath));
      if (gpu === 1) {
        r.take(gpuPath);
        props.gpu = mapGpu(r, at);
      } else if (gpu !== undefined) {
        r.refuse(gpuPath, "the constructs put exactly one GPU on an instance");
      }
    }

    if (name && deps[name]?.length) out.startAfter = deps[name];
    const mounts = (r.peek([...base, "volumeMounts"]) as unknown[] | undefined) ?? [];
    mounts.forEach((m, j) => {
      const mpath: Path = [...base, "volumeMounts", j];
      if (!isObj(m) || typeof m.name !== "string" || typeof m.mountPath !== "string") return;
      if (m.subPath !== undefined) return; // no prop for subPath: reported as unread
      const volume = volumes[m.name] as Obj | undefined;
      if (main && volume && volume.mountPath === undefined) {
        volume.mountPath = m.mountPath;
        takeKeys(r, mpath, ["name", "mountPath"]);
      } else if (!main) {
        out.volumeMounts = { ...(out.volumeMounts as Obj), [m.name]: m.mountPath };
        takeKeys(r, mpath, ["name", "mountPath"]);
      }
    });
    const startup = mapProbe(r, [...base, "startupProbe"]);
    if (startup) out.startupProbe = startup;
    if (main && at.kind === "service") {
      const liveness = mapProbe(r, [...base, "livenessProbe"]);
      if (liveness) out.livenessProbe = liveness;
      const portPath = [...base, "ports", 0];
      port = num(r.take([...portPath, "containerPort"]));
      const portName = str(r.peek([...portPath, "name"]));
      if (portName === "h2c") out.http2 = true;
      if (portName === "h2c" || portName === "http1") r.take([...portPath, "name"]);
    }

    if (main) {
      if (name) props.containerName = name;
      images.main = image;
      Object.assign(props, out);
    } else if (name && image) {
      images.sidecars[name] = image;
      sidecars[name] = out;
    } else {
      r.refuse(base, "a sidecar needs a name and an image");
    }
  });

  if (Object.keys(volumes).length > 0) props.volumes = volumes;
  if (Object.keys(sidecars).length > 0) props.sidecars = sidecars;
  return { props, overrides, images, port };
}

/** `env[]`: plain values → `env`, `valueFrom.secretKeyRef` → `secrets` (version = key). */
function mapEnv(r: ExportReader, at: Path, secretName: (n: string) => string): Obj {
  const list = (r.peek(at) as unknown[] | undefined) ?? [];
  const env: Record<string, string> = {};
  const secrets: Record<string, Obj> = {};
  list.forEach((e, i) => {
    if (!isObj(e) || typeof e.name !== "string") return;
    const path = [...at, i];
    if (e.valueFrom === undefined) {
      env[e.name] = str(e.value) ?? "";
      takeKeys(r, path, ["name", "value"]);
      return;
    }
    const ref = r.peek([...path, "valueFrom", "secretKeyRef"]);
    if (
      isObj(ref) &&
      typeof ref.name === "string" &&
      Object.keys(ref).every((k) => k === "name" || k === "key")
    ) {
      secrets[e.name] = { secret: secretName(ref.name), version: str(ref.key) ?? "latest" };
      takeKeys(r, path, ["name"]);
      takeKeys(r, [...path, "valueFrom", "secretKeyRef"], ["name", "key"]);
    }
    // configMapKeyRef and other sources stay unread: reported.
  });
  const out: Obj = {};
  if (Object.keys(env).length > 0) out.env = env;
  if (Object.keys(secrets).length > 0) out.secrets = secrets;
  return out;
}

/** `volumes[]` → `volumes` by name (secret, NFS, GCS via the gcsfuse CSI driver, in-memory). */
function mapVolumes(
  r: ExportReader,
  at: Path,
  secretName: (n: string) => string,
): Record<string, Obj> {
  const list = (r.peek(at) as unknown[] | undefined) ?? [];
  const out: Record<string, Obj> = {};
  list.forEach((v, i) => {
    if (!isObj(v) || typeof v.name !== "string") return;
    const path: Path = [...at, i];
    r.take([...path, "name"]);
    if (isObj(v.secret) && typeof v.secret.secretName === "string") {
      const items = (v.secret.items as unknown[] | undefined) ?? [];
      if (items.some((it) => !isObj(it) || it.mode !== undefined)) return; // per-item mode: unread
      const vol: Obj = { type: "secret", secret: secretName(v.secret.secretName) };
      if (items.length > 0)
        vol.items = Object.fromEntries(
          items.map((it) => [String((it as Obj).path), String((it as Obj).key)]),
        );
      const mode = num(v.secret.defaultMode);
      if (mode !== undefined) vol.defaultMode = mode;
      out[v.name] = vol;
      takeKeys(r, [...path, "secret"], ["secretName", "defaultMode"]);
      items.forEach((_, j) => takeKeys(r, [...path, "secret", "items", j], ["key", "path"]));
    } else if (isObj(v.nfs)) {
      out[v.name] = {
        type: "nfs",
        server: v.nfs.server,
        path: v.nfs.path,
        ...(v.nfs.readOnly !== undefined ? { readOnly: v.nfs.readOnly === true } : {}),
      };
      takeKeys(r, [...path, "nfs"], ["server", "path", "readOnly"]);
    } else if (isObj(v.emptyDir) && v.emptyDir.medium === "Memory") {
      out[v.name] = {
        type: "in-memory",
        ...(v.emptyDir.sizeLimit !== undefined ? { sizeLimit: String(v.emptyDir.sizeLimit) } : {}),
      };
      takeKeys(r, [...path, "emptyDir"], ["medium", "sizeLimit"]);
    } else if (
      isObj(v.csi) &&
      v.csi.driver === "gcsfuse.run.googleapis.com" &&
      isObj(v.csi.volumeAttributes) &&
      Object.keys(v.csi.volumeAttributes).every((k) => k === "bucketName")
    ) {
      out[v.name] = {
        type: "gcs",
        bucket: v.csi.volumeAttributes.bucketName,
        ...(v.csi.readOnly !== undefined ? { readOnly: v.csi.readOnly === true } : {}),
      };
      takeKeys(r, [...path, "csi"], ["driver", "readOnly", "volumeAttributes"]);
    }
    // Anything else (mount options, other drivers, disk-backed emptyDir) stays unread: reported.
  });
  return out;
}

/** Marks the listed keys of the object at `at` read; its other keys stay unread (reported). */
function takeKeys(r: ExportReader, at: Path, keys: readonly string[]): void {
  for (const key of keys) r.take([...at, key]);
}

/** A v1 probe → `Probe` (httpGet with headers, tcpSocket, grpc; thresholds). */
function mapProbe(r: ExportReader, at: Path): Obj | undefined {
  const p = r.peek(at);
  if (!isObj(p)) return undefined;
  const out: Obj = {};
  for (const key of [
    "initialDelaySeconds",
    "periodSeconds",
    "timeoutSeconds",
    "failureThreshold",
  ]) {
    const n = num(r.take([...at, key]));
    if (n !== undefined) out[key] = n;
  }
  if (isObj(p.httpGet)) {
    const h: Obj = {};
    const path = str(r.take([...at, "httpGet", "path"]));
    if (path !== undefined) h.path = path;
    const port = num(r.take([...at, "httpGet", "port"]));
    if (port !== undefined) h.port = port;
    const headers = (r.peek([...at, "httpGet", "httpHeaders"]) as unknown[] | undefined) ?? [];
    if (headers.length > 0 && headers.every((x) => isObj(x) && typeof x.name === "string")) {
      h.headers = Object.fromEntries(
        headers.map((x) => [(x as Obj).name, str((x as Obj).value) ?? ""]),
      );
      r.take([...at, "httpGet", "httpHeaders"]);
    }
    out.httpGet = h;
    if (Object.keys(p.httpGet).length === 0) r.take([...at, "httpGet"]);
  } else if (isObj(p.tcpSocket)) {
    const port = num(r.take([...at, "tcpSocket", "port"]));
    out.tcpSocket = port !== undefined ? { port } : {};
    if (port === undefined) r.take([...at, "tcpSocket"]);
  } else if (isObj(p.grpc)) {
    const g: Obj = {};
    const port = num(r.take([...at, "grpc", "port"]));
    if (port !== undefined) g.port = port;
    const service = str(r.take([...at, "grpc", "service"]));
    if (service !== undefined) g.service = service;
    out.grpc = g;
    if (Object.keys(p.grpc).length === 0) r.take([...at, "grpc"]);
  }
  return out;
}

/** `nvidia.com/gpu` limit + `nodeSelector` accelerator + zonal redundancy annotation → `gpu`. */
function mapGpu(r: ExportReader, at: TemplatePaths): Obj {
  const gpu: Obj = {};
  const type = str(r.take([...at.spec, "nodeSelector", "run.googleapis.com/accelerator"]));
  if (type) gpu.type = type;
  const disabled = str(
    r.take([...at.annotations, "run.googleapis.com/gpu-zonal-redundancy-disabled"]),
  );
  if (disabled === "true" && at.kind === "service") gpu.zonalRedundancy = false;
  return gpu;
}
