/**
 * User text is never interpolated (issue 14, item 1): literal strings reach the Terraform JSON
 * (and `synth --hcl`) with `${` and `%{` escaped, while the app's own tokens stay references.
 * The property over every string prop is in __tests__/fuzz/escape.fuzz.test.ts.
 */
import { Lazy, Testing, TerraformStack, TerraformVariable } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { CloudRunJob, CloudRunService, IamBinding, WorkerPool } from "@cdktf-cloud-run/constructs";
import { escapeString, unescapeTemplate } from "../../../lib/core/escape";
import { EnvironmentStack } from "../../../stacks/environment-stack";
import { TfJson, env, only, plainStack, resources, synth } from "../../helpers";

const IMAGE = "us-docker.pkg.dev/cloudrun/container/hello";
const EVIL = '${file("/etc/passwd")}';
const DIRECTIVE = "%{ if true }x%{ endif }";

type Json = Record<string, unknown>;
type Container = Json & { env: Json[] };
/** The first container of a template block (`template` of a service, `template.template` of a job). */
const firstContainer = (template: Json) => (template.containers as Container[])[0];
const containerOf = (r: Json) => firstContainer(r.template as Json);

function serviceJson(props: Record<string, unknown>): Json {
  const stack = plainStack();
  new CloudRunService(stack, "api", { image: IMAGE, ...props });
  return only(synth(stack), "google_cloud_run_v2_service");
}

describe("escapeString", () => {
  test("escapes ${ and %{ in a literal string", () => {
    expect(escapeString(`a ${EVIL} ${DIRECTIVE}`)).toBe(
      'a $${file("/etc/passwd")} %%{ if true }x%%{ endif }',
    );
  });

  test("escapes a string that is already escaped once more, so it stays as written", () => {
    expect(escapeString("$${x} %%{y}")).toBe("$$${x} %%%{y}");
    expect(unescapeTemplate(escapeString("$${x} %%{y}"))).toBe("$${x} %%{y}");
  });

  test("leaves a string without ${ or %{ unchanged ($ and % alone are literal)", () => {
    for (const s of ["plain", "cost: 5$", "100%", "$HOME", "%s", "{}"])
      expect(escapeString(s)).toBe(s);
  });

  test("unescapeTemplate refuses a live interpolation or directive", () => {
    expect(unescapeTemplate("${var.x}")).toBeUndefined();
    expect(unescapeTemplate("%{ if x }")).toBeUndefined();
    expect(unescapeTemplate('${"$"}{x}')).toBe("${x}");
  });
});

describe("literal user text reaches the JSON escaped", () => {
  test("env value", () => {
    const e = containerOf(serviceJson({ env: { A: EVIL } })).env[0];
    expect(e.value).toBe('$${file("/etc/passwd")}');
  });

  test("args and command", () => {
    const c = containerOf(serviceJson({ command: [EVIL], args: [DIRECTIVE, "--x=${var.y}"] }));
    expect(c.command).toEqual(['$${file("/etc/passwd")}']);
    expect(c.args).toEqual(["%%{ if true }x%%{ endif }", "--x=$${var.y}"]);
  });

  test("description", () => {
    expect(serviceJson({ description: `d ${EVIL}` }).description).toBe('d $${file("/etc/passwd")}');
  });

  test("probe path and headers", () => {
    const c = containerOf(
      serviceJson({
        startupProbe: { httpGet: { path: "/h?q=${var.x}", headers: { "X-A": DIRECTIVE } } },
      }),
    );
    const http = (c.startup_probe as Json).http_get as Json;
    expect(http.path).toBe("/h?q=$${var.x}");
    expect(http.http_headers).toEqual([{ name: "X-A", value: "%%{ if true }x%%{ endif }" }]);
  });

  test("mount path", () => {
    const c = containerOf(
      serviceJson({ volumes: { cache: { type: "in-memory", mountPath: "/m/${path.root}" } } }),
    );
    expect(c.volume_mounts).toEqual([{ name: "cache", mount_path: "/m/$${path.root}" }]);
  });

  test("a sidecar's env and args", () => {
    const stack = plainStack();
    new CloudRunService(stack, "api", {
      image: IMAGE,
      sidecars: { proxy: { image: IMAGE, env: { B: EVIL }, args: [EVIL] } },
    });
    const r = only(synth(stack), "google_cloud_run_v2_service");
    const side = (r.template as { containers: Json[] }).containers[1];
    expect(side.env).toEqual([{ name: "B", value: '$${file("/etc/passwd")}' }]);
    expect(side.args).toEqual(['$${file("/etc/passwd")}']);
  });

  test("job and worker pool containers", () => {
    const stack = plainStack();
    new CloudRunJob(stack, "report", { image: IMAGE, env: { A: EVIL } });
    new WorkerPool(stack, "pool", { image: IMAGE, args: [EVIL] });
    const json = synth(stack);
    const job = only(json, "google_cloud_run_v2_job") as { template: { template: Json } };
    expect(firstContainer(job.template.template).env[0].value).toBe('$${file("/etc/passwd")}');
    const pool = only(json, "google_cloud_run_v2_worker_pool");
    expect(containerOf(pool).args).toEqual(['$${file("/etc/passwd")}']);
  });

  test("binary authorization break-glass justification (written as an override)", () => {
    const r = serviceJson({
      binaryAuthorization: { useDefault: true, breakglassJustification: `why ${EVIL}` },
    });
    expect((r.binary_authorization as Json).breakglass_justification).toBe(
      'why $${file("/etc/passwd")}',
    );
  });
});

describe("the app's tokens stay references", () => {
  test("another resource's attribute as an env value", () => {
    const stack = plainStack();
    const other = new CloudRunService(stack, "other", { image: IMAGE });
    new CloudRunService(stack, "api", { image: IMAGE, env: { URL: other.uri } });
    const api = Object.values(resources(synth(stack), "google_cloud_run_v2_service")).find(
      (r) => r.name === "api",
    )!;
    expect(containerOf(api).env[0].value).toMatch(
      /^\$\{google_cloud_run_v2_service\.other_[0-9A-F]+\.uri\}$/,
    );
  });

  test("literal text with ${ next to a token: the text is escaped, the reference kept", () => {
    const stack = plainStack();
    const other = new CloudRunService(stack, "other", { image: IMAGE });
    new CloudRunService(stack, "api", {
      image: IMAGE,
      env: { URL: `\${x}-${other.uri}/p`, PRICE: `5$${other.uri}` },
    });
    const api = Object.values(resources(synth(stack), "google_cloud_run_v2_service")).find(
      (r) => r.name === "api",
    )!;
    const [url, price] = containerOf(api).env;
    expect(url.value).toMatch(
      /^\$\{"\$"\}\{x\}-\$\{google_cloud_run_v2_service\.other_[0-9A-F]+\.uri\}\/p$/,
    );
    // A literal "$" right before the reference must not turn it into the escape "$${".
    expect(price.value).toMatch(
      /^5\$\{"\$"\}\$\{google_cloud_run_v2_service\.other_[0-9A-F]+\.uri\}$/,
    );
  });

  test("a member built by the library from a token (serviceAccount:${email})", () => {
    const stack = plainStack();
    const api = new CloudRunService(stack, "api", { image: IMAGE });
    const caller = new CloudRunService(stack, "caller", { image: IMAGE });
    api.grantInvoke(caller.serviceAccountMember);
    const grant = only(synth(stack), "google_cloud_run_v2_service_iam_member");
    expect(grant.member).toMatch(
      /^serviceAccount:\$\{google_service_account\.caller_ServiceAccount_[0-9A-F]+\.email\}$/,
    );
  });

  test("a Terraform variable passed as a value", () => {
    const stack = plainStack();
    const v = new TerraformVariable(stack, "tag", { type: "string" });
    new CloudRunService(stack, "api", { image: IMAGE, env: { TAG: `v-${v.stringValue}` } });
    const api = only(synth(stack), "google_cloud_run_v2_service");
    expect(containerOf(api).env[0].value).toBe("v-${var.tag}");
  });

  test("text the app produces at synth (a Lazy value) is escaped like any literal", () => {
    const stack = plainStack();
    const api = new CloudRunService(stack, "api", { image: IMAGE });
    api.resource.addOverride("description", Lazy.stringValue({ produce: () => EVIL }));
    expect(only(synth(stack), "google_cloud_run_v2_service").description).toBe(
      '$${file("/etc/passwd")}',
    );
  });

  test("validation and checks see the value as written (escaping happens only in synthesis)", () => {
    const stack = plainStack();
    const api = new CloudRunService(stack, "api", { image: IMAGE, env: { A: EVIL } });
    synth(stack);
    const body = api.resource.toTerraform() as {
      resource: Record<string, Record<string, { template: Json }>>;
    };
    const r = Object.values(body.resource.google_cloud_run_v2_service)[0];
    expect(containerOf(r as unknown as Json).env[0].value).toBe(EVIL);
  });
});

describe("what EnvironmentStack writes from the environment file", () => {
  function envJson(): TfJson {
    const base = env(
      "project: acme-test\nregion: us-central1\ntier: dev\nstate: { bucket: acme-tfstate }\n",
    );
    const e = {
      ...base,
      labels: { team: "a${var.x}", "k%{x}": "v" },
      state: { bucket: "acme-tfstate", prefix: "cloud-run/${terraform.workspace}" },
    };
    return synth(new EnvironmentStack(Testing.app(), e, { catalog: false }));
  }

  test("provider default_labels: keys and values", () => {
    const labels = envJson().provider!.google[0].default_labels as Json;
    expect(labels.team).toBe("a$${var.x}");
    expect(labels["k%%{x}"]).toBe("v");
  });

  test("GCS backend prefix", () => {
    const backend = (envJson().terraform as { backend: { gcs: Json } }).backend.gcs;
    expect(backend.prefix).toBe("cloud-run/$${terraform.workspace}");
    expect(backend.bucket).toBe("acme-tfstate");
  });
});

describe("synth --hcl", () => {
  function hclOf(build: (stack: TerraformStack) => void): string {
    const stack = new TerraformStack(Testing.app(), "test");
    new GoogleProvider(stack, "google", { project: "acme-test", region: "us-central1" });
    build(stack);
    return Testing.synthHcl(stack, true);
  }

  test("escapes ${ and %{ the same way", () => {
    const hcl = hclOf(
      (s) => new CloudRunService(s, "api", { image: IMAGE, args: [EVIL, DIRECTIVE] }),
    );
    expect(hcl).toContain('"$${file(\\"/etc/passwd\\")}"');
    expect(hcl).toContain('"%%{ if true }x%%{ endif }"');
  });

  test("keeps quotes, backslashes and line breaks inside one quoted string", () => {
    const hcl = hclOf(
      (s) =>
        new CloudRunService(s, "api", {
          image: IMAGE,
          args: ['a${b}", file("/etc/passwd"), "c', "x\\y", "l1\nEOF\nl2"],
          description: '[file("/etc/passwd")]',
        }),
    );
    expect(hcl).toContain('"a$${b}\\", file(\\"/etc/passwd\\"), \\"c"');
    expect(hcl).toContain('"x\\\\y"');
    expect(hcl).toContain('"l1\\nEOF\\nl2"');
    expect(hcl).not.toContain("<<EOF");
    // A leading "[" would make cdktf write the string as an expression.
    expect(hcl).toContain('description = "\\u005Bfile(\\"/etc/passwd\\")]"');
  });

  test("references stay references", () => {
    const hcl = hclOf((s) => {
      const other = new CloudRunService(s, "other", { image: IMAGE });
      new IamBinding(s, "b", {
        target: { project: "acme-test" },
        role: "roles/viewer",
        members: [other.serviceAccountMember],
      });
    });
    expect(hcl).toMatch(
      /member = "serviceAccount:\$\{google_service_account\.other_ServiceAccount_[0-9A-F]+\.email\}"/,
    );
  });
});
