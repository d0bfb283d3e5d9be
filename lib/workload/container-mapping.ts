/**
 * Mapping of the shared prop shapes to the provider's (camelCase) block shapes: probes, volumes,
 * mounts. Used by the workload base and the constructs alike.
 */
import { Defined, defined, toQuantityString } from "../core/values";
import { Probe, Volume } from "./workload-props";

/** Mapped blocks are plain objects in the provider's camelCase config shape. */
export type Block = Record<string, unknown>;

/** `startupProbe` / `livenessProbe` block from a `Probe`. */
export function mapProbe(p: Probe, defaultPort?: number): Block {
  return compact({
    initialDelaySeconds: p.initialDelaySeconds,
    periodSeconds: p.periodSeconds,
    timeoutSeconds: p.timeoutSeconds,
    failureThreshold: p.failureThreshold,
    httpGet: p.httpGet
      ? compact({
          path: p.httpGet.path ?? "/",
          port: p.httpGet.port,
          httpHeaders: p.httpGet.headers
            ? Object.entries(p.httpGet.headers).map(([name, value]) => ({ name, value }))
            : undefined,
        })
      : undefined,
    tcpSocket: p.tcpSocket ? { port: p.tcpSocket.port ?? defaultPort } : undefined,
    grpc: p.grpc ? compact({ port: p.grpc.port, service: p.grpc.service }) : undefined,
  });
}

export function volumeSource(v: Volume): Block {
  switch (v.type) {
    case "secret":
      return {
        secret: compact({
          secret: v.secret,
          defaultMode: v.defaultMode,
          items: v.items
            ? Object.entries(v.items).map(([path, version]) => ({ path, version }))
            : undefined,
        }),
      };
    case "cloud-sql":
      return {
        cloudSqlInstance: { instances: Array.isArray(v.instances) ? [...v.instances] : [] },
      };
    case "gcs":
      return { gcs: { bucket: v.bucket, readOnly: v.readOnly ?? false } };
    case "nfs":
      return { nfs: { server: v.server, path: v.path, readOnly: v.readOnly ?? false } };
    case "in-memory":
      return {
        emptyDir: compact({
          medium: "MEMORY",
          sizeLimit: v.sizeLimit !== undefined ? toQuantityString(v.sizeLimit) : undefined,
        }),
      };
  }
}

export function mainMounts(
  volumes: Readonly<Record<string, Volume>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(volumes ?? {})) if (v.mountPath) out[name] = v.mountPath;
  return out;
}

export function mountsBlock(
  mounts: Readonly<Record<string, string>> | undefined,
): Block[] | undefined {
  const list = Object.entries(mounts ?? {}).map(([name, mountPath]) => ({ name, mountPath }));
  return list.length > 0 ? list : undefined;
}

/** Drops undefined fields (so the JSON shows only what was set). */
export function compact<T extends Block>(block: T): Defined<T> {
  return defined(block);
}
