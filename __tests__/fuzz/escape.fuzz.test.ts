/**
 * Property (issue 14, item 1): for any string s given to any string prop of any construct (and to
 * what EnvironmentStack writes from an environment file), synth either refuses it with a reported
 * error, or the synthesized JSON holds a value that Terraform reads as exactly s (`$${` → `${`,
 * `%%{` → `%{`); and no string of the JSON holds a live `${…}` other than references to the
 * stack's own resources, data sources and variables. The same for `synth --hcl`, read back with
 * hcl2json. Fixed seed; FUZZ_RUNS=N for more cases.
 */
import fc from "fast-check";
import { DefaultTokenResolver, StringConcat, TerraformStack, Testing, Tokenization } from "cdktf";
import {
  ArtifactRepository,
  CloudRunJob,
  CloudRunService,
  IamBinding,
  WorkerPool,
  type CloudRunJobProps,
  type CloudRunServiceProps,
  type WorkerPoolProps,
} from "@cdktf-cloud-run/constructs";
import { escapeString, unescapeTemplate } from "../../lib/core/escape";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { env } from "../helpers";
import type { TfJson } from "../helpers";
import {
  SEED,
  fuzzStack,
  hostileString,
  isReported,
  outdir,
  runs,
  synthJson,
} from "./fuzz-helpers";

const IMAGE = "us-docker.pkg.dev/cloudrun/container/hello";
type Json = Record<string, unknown>;
const out = outdir();
afterAll(() => out.cleanup());

// ---------------------------------------------------------------------------------------------
// Reading the JSON
// ---------------------------------------------------------------------------------------------

function one(json: TfJson, type: string): Json {
  const all = Object.values(json.resource?.[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}
const obj = (v: unknown) => (Array.isArray(v) ? v[0] : v) as Json;
const list = (v: unknown) => (Array.isArray(v) ? v : []) as Json[];
const containers = (t: unknown) => list(obj(t).containers);
const svc = (j: TfJson) => one(j, "google_cloud_run_v2_service");
const main = (j: TfJson) => containers(svc(j).template)[0];
const jobMain = (j: TfJson) =>
  containers(obj(obj(one(j, "google_cloud_run_v2_job").template).template))[0];
const poolMain = (j: TfJson) => containers(one(j, "google_cloud_run_v2_worker_pool").template)[0];
const keys = (v: unknown) => Object.keys(obj(v) ?? {});

/** Every string and map key in the JSON (metadata comments excluded). */
function* strings(v: unknown): Generator<string> {
  if (typeof v === "string") yield v;
  else if (Array.isArray(v)) for (const x of v) yield* strings(x);
  else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      if (k === "//") continue;
      yield k;
      yield* strings(x);
    }
}

/**
 * The live interpolations of a string (HCL template scanner rules): `${…}` not written as `$${`,
 * and `%{` not written as `%%{` (returned as "%{").
 */
function live(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") i += 2;
    else if (c === "%" && text[i + 1] === "{") found.push("%{");
    else if (c === "$" && text[i + 1] === "{") {
      const end = text.indexOf("}", i);
      found.push(text.slice(i + 2, end < 0 ? undefined : end));
      if (end > 0) i = end;
    }
  }
  return found;
}

/** Fails when a string of `json` interpolates anything but the stack's own objects or `"$"`. */
function expectOnlyOwnReferences(json: TfJson): void {
  const own = (expr: string) => {
    if (expr === '"$"') return true;
    const m = /^(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(\.|\[|$)/.exec(expr);
    if (!m) return false;
    if (m[2] === "var") return true;
    return m[1] ? !!json.data?.[m[2]]?.[m[3]] : !!json.resource?.[m[2]]?.[m[3]];
  };
  for (const s of strings(json))
    for (const expr of live(s))
      if (!own(expr))
        throw new Error(`live interpolation ${JSON.stringify(expr)} in ${JSON.stringify(s)}`);
}

// ---------------------------------------------------------------------------------------------
// Every string prop: how to set it, where it lands
// ---------------------------------------------------------------------------------------------

interface Slot {
  readonly name: string;
  readonly build: (stack: TerraformStack, s: string) => void;
  /** The strings at the prop's place in the JSON (one of them must read back as s). */
  readonly read: (json: TfJson) => unknown[];
}

const service = (props: Record<string, unknown>) => (stack: TerraformStack) =>
  new CloudRunService(stack, "api", { image: IMAGE, ...props } as CloudRunServiceProps);
const job = (props: Record<string, unknown>) => (stack: TerraformStack) =>
  new CloudRunJob(stack, "report", { image: IMAGE, ...props } as CloudRunJobProps);
const pool = (props: Record<string, unknown>) => (stack: TerraformStack) =>
  new WorkerPool(stack, "pool", { image: IMAGE, ...props } as WorkerPoolProps);

function slot(
  name: string,
  props: (s: string) => (stack: TerraformStack) => unknown,
  read: (json: TfJson) => unknown,
): Slot {
  return {
    name,
    build: (stack, s) => props(s)(stack),
    read: (json) => [read(json)].flat(),
  };
}

const SLOTS: Slot[] = [
  // Shared workload props, on a service
  slot(
    "name",
    (s) => service({ name: s }),
    (j) => svc(j).name,
  ),
  slot(
    "project",
    (s) => service({ project: s }),
    (j) => svc(j).project,
  ),
  slot(
    "region",
    (s) => service({ region: s }),
    (j) => svc(j).location,
  ),
  slot(
    "image",
    (s) => service({ image: s }),
    (j) => main(j).image,
  ),
  slot(
    "command",
    (s) => service({ command: [s] }),
    (j) => main(j).command,
  ),
  slot(
    "args",
    (s) => service({ args: ["--x", s] }),
    (j) => main(j).args,
  ),
  slot(
    "env value",
    (s) => service({ env: { A: s } }),
    (j) => list(main(j).env).map((e) => e.value),
  ),
  slot(
    "env name",
    (s) => service({ env: { [s]: "v" } }),
    (j) => list(main(j).env).map((e) => e.name),
  ),
  slot(
    "secrets.secret",
    (s) => service({ secrets: { A: { secret: s } } }),
    (j) => list(main(j).env).map((e) => obj(obj(e.value_source).secret_key_ref).secret),
  ),
  slot(
    "secrets.version",
    (s) => service({ secrets: { A: { secret: "db", version: s } } }),
    (j) => list(main(j).env).map((e) => obj(obj(e.value_source).secret_key_ref).version),
  ),
  slot(
    "cpu",
    (s) => service({ cpu: s }),
    (j) => obj(main(j).resources).limits && (obj(obj(main(j).resources).limits) as Json).cpu,
  ),
  slot(
    "memory",
    (s) => service({ memory: s }),
    (j) => (obj(obj(main(j).resources).limits) as Json).memory,
  ),
  slot(
    "serviceAccount",
    (s) => service({ serviceAccount: s }),
    (j) => obj(svc(j).template).service_account,
  ),
  slot(
    "labels value",
    (s) => service({ labels: { k: s } }),
    (j) => (svc(j).labels as Json).k,
  ),
  slot(
    "labels key",
    (s) => service({ labels: { [s]: "v" } }),
    (j) => keys(svc(j).labels),
  ),
  slot(
    "vpc.network",
    (s) => service({ vpc: { network: s } }),
    (j) => obj(obj(obj(svc(j).template).vpc_access).network_interfaces).network,
  ),
  slot(
    "vpc.subnetwork",
    (s) => service({ vpc: { subnetwork: s } }),
    (j) => obj(obj(obj(svc(j).template).vpc_access).network_interfaces).subnetwork,
  ),
  slot(
    "volumes secret and item version",
    (s) => service({ volumes: { certs: { type: "secret", secret: s, items: { "c.pem": s } } } }),
    (j) => {
      const secret = obj(list(obj(svc(j).template).volumes)[0].secret);
      return [secret.secret, ...list(secret.items).map((i) => i.version)];
    },
  ),
  slot(
    "volumes cloud-sql instances",
    (s) => service({ volumes: { sql: { type: "cloud-sql", instances: [s] } } }),
    (j) => obj(list(obj(svc(j).template).volumes)[0].cloud_sql_instance).instances,
  ),
  slot(
    "volumes in-memory sizeLimit",
    (s) => service({ volumes: { tmp: { type: "in-memory", sizeLimit: s } } }),
    (j) => obj(list(obj(svc(j).template).volumes)[0].empty_dir).size_limit,
  ),
  slot(
    "startAfter and sidecar name",
    (s) =>
      service({
        sidecars: { [s]: { image: IMAGE, startupProbe: { tcpSocket: { port: 9 } } } },
        startAfter: [s],
      }),
    (j) => [containers(svc(j).template)[1].name, ...((main(j).depends_on as unknown[]) ?? [])],
  ),
  slot(
    "ciLabels",
    (s) => service({ imageManagedBy: "external", ciLabels: [s] }),
    (j) =>
      list(obj(svc(j).lifecycle).ignore_changes as unknown)
        .map(String)
        .map((e) => /^labels\["(.*)"\]$/.exec(e)?.[1]),
  ),
  slot(
    "vpc.tags",
    (s) => service({ vpc: { network: "default", tags: [s] } }),
    (j) => obj(obj(obj(svc(j).template).vpc_access).network_interfaces).tags,
  ),
  slot(
    "volumes mountPath",
    (s) => service({ volumes: { cache: { type: "in-memory", mountPath: s } } }),
    (j) => list(main(j).volume_mounts).map((m) => m.mount_path),
  ),
  slot(
    "volumes gcs bucket",
    (s) => service({ executionEnvironment: "gen2", volumes: { data: { type: "gcs", bucket: s } } }),
    (j) => obj(list(obj(svc(j).template).volumes)[0].gcs).bucket,
  ),
  slot(
    "volumes nfs server and path",
    (s) =>
      service({
        executionEnvironment: "gen2",
        vpc: { network: "default" },
        volumes: { data: { type: "nfs", server: s, path: s } },
      }),
    (j) => Object.values(obj(list(obj(svc(j).template).volumes)[0].nfs)),
  ),
  slot(
    "volumes secret items path",
    (s) => service({ volumes: { certs: { type: "secret", secret: "tls", items: { [s]: "1" } } } }),
    (j) => list(obj(list(obj(svc(j).template).volumes)[0].secret).items).map((i) => i.path),
  ),
  slot(
    "sidecars env, args and command",
    (s) =>
      service({ sidecars: { side: { image: IMAGE, env: { A: s }, args: [s], command: [s] } } }),
    (j) => {
      const c = containers(svc(j).template)[1];
      return [
        ...list(c.env).map((e) => e.value),
        ...(c.args as unknown[]),
        ...(c.command as unknown[]),
      ];
    },
  ),
  slot(
    "sidecars volumeMounts path",
    (s) =>
      service({
        volumes: { cache: { type: "in-memory" } },
        sidecars: { side: { image: IMAGE, volumeMounts: { cache: s } } },
      }),
    (j) => list(containers(svc(j).template)[1].volume_mounts).map((m) => m.mount_path),
  ),
  slot(
    "containerName",
    (s) => service({ containerName: s }),
    (j) => main(j).name,
  ),
  slot(
    "binaryAuthorization",
    (s) => service({ binaryAuthorization: { useDefault: true, breakglassJustification: s } }),
    (j) => obj(svc(j).binary_authorization).breakglass_justification,
  ),
  slot(
    "binaryAuthorization.policy",
    (s) => service({ binaryAuthorization: { policy: s } }),
    (j) => obj(svc(j).binary_authorization).policy,
  ),
  // Service props
  slot(
    "description",
    (s) => service({ description: s }),
    (j) => svc(j).description,
  ),
  slot(
    "timeout",
    (s) => service({ timeout: s }),
    (j) => obj(svc(j).template).timeout,
  ),
  slot(
    "customAudiences",
    (s) => service({ customAudiences: [s] }),
    (j) => svc(j).custom_audiences,
  ),
  slot(
    "invokers",
    (s) => service({ invokers: [s] }),
    (j) =>
      Object.values(j.resource?.google_cloud_run_v2_service_iam_member ?? {}).map((r) => r.member),
  ),
  slot(
    "probe httpGet path",
    (s) => service({ startupProbe: { httpGet: { path: s } } }),
    (j) => obj(obj(main(j).startup_probe).http_get).path,
  ),
  slot(
    "probe header value",
    (s) => service({ livenessProbe: { httpGet: { headers: { "X-H": s } } } }),
    (j) => list(obj(obj(main(j).liveness_probe).http_get).http_headers).map((h) => h.value),
  ),
  slot(
    "probe header name",
    (s) => service({ livenessProbe: { httpGet: { headers: { [s]: "v" } } } }),
    (j) => list(obj(obj(main(j).liveness_probe).http_get).http_headers).map((h) => h.name),
  ),
  slot(
    "probe grpc service",
    (s) => service({ startupProbe: { grpc: { service: s } } }),
    (j) => obj(obj(main(j).startup_probe).grpc).service,
  ),
  slot(
    "traffic tag",
    (s) => service({ traffic: [{ percent: 100, latest: true, tag: s }] }),
    (j) => obj(svc(j).traffic).tag,
  ),
  slot(
    "traffic revision",
    (s) => service({ traffic: [{ percent: 100, revision: s }] }),
    (j) => obj(svc(j).traffic).revision,
  ),
  slot(
    "baseImage",
    (s) => service({ baseImage: s }),
    (j) => main(j).base_image_uri,
  ),
  // Jobs and worker pools
  slot(
    "job env, args and command",
    (s) => job({ env: { A: s }, args: [s], command: [s] }),
    (j) => {
      const c = jobMain(j);
      return [
        ...list(c.env).map((e) => e.value),
        ...(c.args as unknown[]),
        ...(c.command as unknown[]),
      ];
    },
  ),
  slot(
    "job taskTimeout",
    (s) => job({ taskTimeout: s }),
    (j) => obj(obj(one(j, "google_cloud_run_v2_job").template).template).timeout,
  ),
  slot(
    "job schedule cron and timeZone",
    (s) => job({ schedule: { cron: s, timeZone: s } }),
    (j) => [
      one(j, "google_cloud_scheduler_job").schedule,
      one(j, "google_cloud_scheduler_job").time_zone,
    ],
  ),
  slot(
    "worker pool env and args",
    (s) => pool({ env: { A: s }, args: [s] }),
    (j) => {
      const c = poolMain(j);
      return [...list(c.env).map((e) => e.value), ...(c.args as unknown[])];
    },
  ),
  // IamBinding
  slot(
    "IamBinding role and member",
    (s) => (stack) =>
      new IamBinding(stack, "b", { target: { project: "acme-test" }, role: s, members: [s] }),
    (j) =>
      Object.values(j.resource?.google_project_iam_member ?? {}).flatMap((r) => [r.role, r.member]),
  ),
  slot(
    "IamBinding target",
    (s) => (stack) =>
      new IamBinding(stack, "b", {
        target: { secret: s },
        role: "roles/viewer",
        members: ["user:a@acme.example"],
      }),
    (j) =>
      Object.values(j.resource?.google_secret_manager_secret_iam_member ?? {}).map(
        (r) => r.secret_id,
      ),
  ),
  // ArtifactRepository
  slot(
    "ArtifactRepository name, description and labels",
    (s) => (stack) =>
      new ArtifactRepository(stack, "repo", { name: s, description: s, labels: { k: s } }),
    (j) => {
      const r = one(j, "google_artifact_registry_repository");
      return [r.repository_id, r.description, (r.labels as Json | undefined)?.k];
    },
  ),
  slot(
    "ArtifactRepository project and region",
    (s) => (stack) => new ArtifactRepository(stack, "repo", { project: s, region: s }),
    (j) => {
      const r = one(j, "google_artifact_registry_repository");
      return [r.project, r.location];
    },
  ),
];

/** What EnvironmentStack writes from an environment file (parsed by another layer; built here). */
function environment(change: (s: string) => Record<string, unknown>) {
  return (s: string) => (stack: TerraformStack) => {
    const base = env("project: acme-test\nregion: us-central1\ntier: dev\n");
    return new EnvironmentStack(
      stack.node.scope!,
      { ...base, name: "envfuzz", ...change(s) } as never,
      { catalog: false },
    );
  };
}
const envSlot = (
  name: string,
  change: (s: string) => Record<string, unknown>,
  read: (j: TfJson) => unknown,
): Slot => ({
  name,
  build: (stack, s) => environment(change)(s)(stack),
  read: (j) => [read(j)].flat(),
});
const ENV_SLOTS: Slot[] = [
  envSlot(
    "environment labels value",
    (s) => ({ labels: { team: s } }),
    (j) => (obj(j.provider?.google) as Json & { default_labels: Json }).default_labels.team,
  ),
  envSlot(
    "environment labels key",
    (s) => ({ labels: { [s]: "v" } }),
    (j) => keys((obj(j.provider?.google) as Json).default_labels),
  ),
  envSlot(
    "environment deployers",
    (s) => ({ deployers: [s] }),
    (j) => Object.values(j.resource?.google_project_iam_member ?? {}).map((r) => r.member),
  ),
  envSlot(
    "environment project and region",
    (s) => ({ project: s, region: s }),
    (j) => Object.values(obj(j.provider?.google)),
  ),
  envSlot(
    "environment state bucket and prefix",
    (s) => ({ state: { bucket: s, prefix: s } }),
    (j) => Object.values(obj((j.terraform as { backend: Json }).backend.gcs)),
  ),
];

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

describe("escaping, for any string", () => {
  test("escapeString: Terraform reads the escaped form back as the string (pure function)", () => {
    fc.assert(
      fc.property(hostileString, (s) => unescapeTemplate(escapeString(s)) === s),
      { seed: SEED, numRuns: runs(3000) },
    );
  });

  test("strings mixing text and tokens keep every reference and every character of the text", () => {
    const stack = fuzzStack(out.dir());
    const api = new CloudRunService(stack, "api", { image: IMAGE });
    const tokens = [api.uri, api.serviceAccountEmail, api.resource.name];
    const resolver = new DefaultTokenResolver(new StringConcat());
    fc.assert(
      fc.property(
        fc.array(fc.oneof(hostileString, fc.integer({ min: 0, max: 2 })), { maxLength: 6 }),
        (parts) => {
          const text = parts.map((p) => (typeof p === "number" ? tokens[p] : p)).join("");
          const written = Tokenization.resolve(escapeString(text), {
            scope: stack,
            resolver,
            preparing: false,
          }) as string;
          // Evaluate as Terraform would, with each reference replaced by a marker.
          const marked = written.replace(
            /\$\{google_[a-z0-9_]+\.[A-Za-z0-9_]+\.[a-z_]+\}/g,
            "\u0001",
          );
          const expected = parts.map((p) => (typeof p === "number" ? "\u0001" : p)).join("");
          return unescapeTemplate(marked) === expected;
        },
      ),
      { seed: SEED, numRuns: runs(1500) },
    );
  });

  const all = [...SLOTS, ...ENV_SLOTS];
  const tally = { cases: 0, rejected: 0 };
  afterAll(() => {
    // The closing note of the harness (issue 14): cases run, and how many were refused cleanly.
    console.log(
      `escape fuzz over ${all.length} string props: ${tally.cases} cases, ${tally.rejected} refused with a reported error, 0 crashes`,
    );
  });

  test("every string prop of every construct: refused with a reported error, or written as the literal", () => {
    fc.assert(
      fc.property(fc.constantFrom(...all), hostileString, (slot, s) => {
        tally.cases++;
        const stack = fuzzStack(out.dir());
        let json: TfJson;
        try {
          slot.build(stack, s);
          const root = stack.node.scope!.node.children.find((c) => c instanceof EnvironmentStack);
          json = synthJson((root as TerraformStack | undefined) ?? stack);
        } catch (e) {
          if (!isReported(e)) throw e;
          tally.rejected++;
          return;
        }
        const read = slot.read(json).filter((v): v is string => typeof v === "string");
        expect({ slot: slot.name, s, read: read.map(unescapeTemplate) }).toEqual({
          slot: slot.name,
          s,
          read: expect.arrayContaining([s]),
        });
        expectOnlyOwnReferences(json);
      }),
      { seed: SEED, numRuns: runs(150) },
    );
  });

  test("synth --hcl: every accepted string reads back (hcl2json) as the literal", async () => {
    // hcl2json (shipped with cdktf-cli) parses HCL into Terraform's JSON syntax, escapes included.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parse } = require("@cdktf/hcl2json") as {
      parse: (f: string, hcl: string) => Promise<TfJson>;
    };
    await fc.assert(
      fc.asyncProperty(fc.array(hostileString, { minLength: 1, maxLength: 6 }), async (texts) => {
        const stack = fuzzStack(out.dir());
        const vars = Object.fromEntries(texts.map((t, i) => [`E${i}`, t]));
        new CloudRunService(stack, "api", {
          image: IMAGE,
          description: texts[0],
          args: texts,
          env: vars,
        });
        const json = await parse("main.tf", Testing.synthHcl(stack, true));
        const r = obj(Object.values(json.resource?.google_cloud_run_v2_service ?? {})[0]);
        const c = containers(r.template)[0];
        const read = [r.description, ...(c.args as unknown[]), ...list(c.env).map((e) => e.value)];
        // Terraform normalizes string literals to Unicode NFC (HCL and JSON syntax alike).
        const want = [texts[0], ...texts, ...texts].map((x) => x.normalize("NFC"));
        expect(read.map((v) => unescapeTemplate(v as string))).toEqual(want);

        // What EnvironmentStack writes raw (provider labels, backend): cdktf renders those
        // without type information, so a "[…]" or "{…}" string would otherwise become an expression.
        const base = env("project: acme-test\nregion: us-central1\ntier: dev\n");
        const e = {
          ...base,
          name: "envhcl",
          labels: { team: texts[0] },
          state: { bucket: "b", prefix: texts[texts.length - 1] },
        };
        const envStack = new EnvironmentStack(stack.node.scope!, e, { catalog: false });
        const envJson = (await parse("env.tf", Testing.synthHcl(envStack, true))) as unknown as {
          provider: { google: Array<{ default_labels: Json }> };
          terraform: Array<{ backend: { gcs: Json[] } }>;
        };
        // hcl2json writes a numeric literal ("123" is rendered unquoted) as a number.
        const asText = (v: unknown) => unescapeTemplate(String(v));
        expect([
          asText(envJson.provider.google[0].default_labels.team),
          asText(envJson.terraform[0].backend.gcs[0].prefix),
        ]).toEqual([texts[0], texts[texts.length - 1]].map((x) => x.normalize("NFC")));
      }),
      { seed: SEED, numRuns: runs(10) },
    );
  });
});
