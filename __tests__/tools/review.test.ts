/** review's comparison as a pure function over stack name → parsed cdk.tf.json. */
import { buildReview } from "../../tools/review";
import { compareStack, compareStacks, Stacks, TfJson } from "../../tools/private/tf-diff";
import { detectRisks } from "../../tools/private/risks";
import { synthEnv } from "../../tools/private/worktree";

const DIGEST = "sha256:3f9c2b7a1d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";
const IMAGE = `us-docker.pkg.dev/acme-ci/apps/api@${DIGEST}`;

type Resources = Record<string, Record<string, Record<string, unknown>>>;

function stack(resource: Resources, extra: Record<string, unknown> = {}): TfJson {
  return {
    "//": { metadata: { stackName: "dev", version: "0.21.0" } },
    provider: { google: [{ project: "acme-run-dev", region: "us-central1" }] },
    terraform: { backend: { gcs: { bucket: "acme-tfstate", prefix: "cloud-run/dev" } } },
    resource,
    ...extra,
  };
}

function service(over: Record<string, unknown> = {}, image = IMAGE): Record<string, unknown> {
  return {
    "//": { metadata: { path: "dev/api/service" } },
    name: "api",
    location: "us-central1",
    deletion_protection: true,
    template: {
      service_account: "${google_service_account.api_sa.email}",
      containers: [{ name: "api", image }],
    },
    ...over,
  };
}

const base: Resources = {
  google_cloud_run_v2_service: { api: service() },
  google_service_account: { api_sa: { account_id: "api-sa" } },
  google_project_iam_member: {
    api_logs: {
      project: "acme-run-dev",
      role: "roles/logging.logWriter",
      member: "serviceAccount:${google_service_account.api_sa.email}",
    },
  },
  google_project_service: {
    run: { service: "run.googleapis.com", disable_on_destroy: false },
  },
};

function withResources(change: (r: Resources) => void): Resources {
  const copy = JSON.parse(JSON.stringify(base)) as Resources;
  change(copy);
  return copy;
}

function codes(b: Stacks, h: Stacks): string[] {
  return detectRisks(compareStacks(b, h)).map((r) => r.code);
}

describe("compareStacks", () => {
  test("reports nothing for identical stacks", () => {
    const set = compareStack("dev", stack(base), stack(base));
    expect(set.status).toBe("unchanged");
    expect(set.resources).toEqual([]);
  });

  test('ignores cdktf "//" metadata at every depth', () => {
    const moved = withResources((r) => {
      (r.google_cloud_run_v2_service.api["//"] as Record<string, unknown>).metadata = { path: "x" };
    });
    const head = stack(moved, { "//": { metadata: { stackName: "dev", version: "9" } } });
    expect(compareStack("dev", stack(base), head).status).toBe("unchanged");
  });

  test("lists an added resource as create with every attribute", () => {
    const head = withResources((r) => {
      r.google_project_service.pubsub = { service: "pubsub.googleapis.com" };
    });
    const [c] = compareStack("dev", stack(base), stack(head)).resources;
    expect(c).toMatchObject({ address: "google_project_service.pubsub", action: "create" });
    expect(c.attributes).toEqual([
      { path: "service", before: undefined, after: "pubsub.googleapis.com" },
    ]);
  });

  test("lists a changed attribute with its path, before and after", () => {
    const head = withResources((r) => {
      r.google_cloud_run_v2_service.api = service(
        {},
        `us-docker.pkg.dev/acme-ci/apps/api@sha256:${"b".repeat(64)}`,
      );
    });
    const [c] = compareStack("dev", stack(base), stack(head)).resources;
    expect(c.action).toBe("update");
    expect(c.attributes).toEqual([
      {
        path: "template.containers[0].image",
        before: IMAGE,
        after: `us-docker.pkg.dev/acme-ci/apps/api@sha256:${"b".repeat(64)}`,
      },
    ]);
  });

  // Provider 6.50 (tools/private/force-new.ts): name, location and project only; resource-manager
  // `tags` arrive in later provider versions.
  test.each(["name", "location", "project"])("a service whose %s changes is replaced", (field) => {
    const head = withResources((r) => {
      r.google_cloud_run_v2_service.api[field] = "changed";
    });
    const [c] = compareStack("dev", stack(base), stack(head)).resources;
    expect(c.action).toBe("replace");
    expect(c.replacePaths).toEqual([field]);
  });

  // Immutable from later provider versions on; in 6.50 (resource_cloud_run_v2_worker_pool.go)
  // template.containers.depends_on is Optional, not ForceNew: an in-place update.
  test("a worker pool whose container depends_on changes is updated in place (provider 6.50)", () => {
    const pool = (dependsOn: string[]) => ({
      name: "queue",
      location: "us-central1",
      template: { containers: [{ name: "main", depends_on: dependsOn }, { name: "side" }] },
    });
    const b = withResources((r) => {
      r.google_cloud_run_v2_worker_pool = { queue: pool([]) };
    });
    const h = withResources((r) => {
      r.google_cloud_run_v2_worker_pool = { queue: pool(["side"]) };
    });
    const [c] = compareStack("dev", stack(b), stack(h)).resources;
    expect(c.action).toBe("update");
    expect(c.replacePaths).toBeUndefined();
  });

  test("a changed depends_on (a meta-argument) is an update, even on an *_iam_member", () => {
    const member = (dependsOn: string[]) => ({
      project: "acme-dev",
      role: "roles/run.builder",
      member: "serviceAccount:build@acme-dev.iam.gserviceaccount.com",
      depends_on: dependsOn,
    });
    const b = withResources((r) => {
      r.google_project_iam_member = { builder: member(["${time_sleep.wait}"]) };
    });
    const h = withResources((r) => {
      r.google_project_iam_member = { builder: member(["time_sleep.wait"]) };
    });
    const [c] = compareStack("dev", stack(b), stack(h)).resources;
    expect(c.action).toBe("update");
  });

  test("a resource under a new address with the same name is a replacement, not create + delete", () => {
    const head = withResources((r) => {
      r.google_cloud_run_v2_service = { api_renamed: service() };
    });
    const { resources } = compareStack("dev", stack(base), stack(head));
    expect(resources).toHaveLength(1);
    expect(resources[0]).toMatchObject({
      address: "google_cloud_run_v2_service.api_renamed",
      action: "replace",
      movedFrom: "google_cloud_run_v2_service.api",
    });
  });

  test("a provider change is listed as an update of provider.google", () => {
    const head = stack(base, {
      provider: { google: [{ project: "acme-other", region: "us-central1" }] },
    });
    const [c] = compareStack("dev", stack(base), head).resources;
    expect(c).toMatchObject({ address: "provider.google", action: "update" });
    expect(c.attributes[0]).toEqual({
      path: "[0].project",
      before: "acme-run-dev",
      after: "acme-other",
    });
  });

  test("a stack only in head is added with every resource created", () => {
    const [set] = compareStacks({}, { dev: stack(base) });
    expect(set.status).toBe("added");
    expect(set.resources.every((r) => r.action === "create")).toBe(true);
    expect(set.resources.map((r) => r.address)).not.toContain("provider.google");
  });

  test("output changes are listed by name", () => {
    const head = stack(base, { output: { url: { value: "x" } } });
    expect(compareStack("dev", stack(base), head).outputs).toEqual([
      { name: "url", action: "create", before: undefined, after: "x" },
    ]);
  });
});

describe("output changes (issue 16 item 3)", () => {
  const outputs = (o: Record<string, unknown>) => stack(base, { output: o });
  const url = { value: "${google_cloud_run_v2_service.api.uri}" };

  test("added, changed and removed outputs are shown by their value", () => {
    const set = compareStack(
      "dev",
      outputs({ api_url: url, api_name: { value: "api" } }),
      outputs({ api_url: url, api_name: { value: "api-v2" }, api_sa: { value: "a@b" } }),
    );
    expect(set.outputs).toEqual([
      { name: "api_name", action: "update", before: "api", after: "api-v2" },
      { name: "api_sa", action: "create", before: undefined, after: "a@b" },
    ]);
    const gone = compareStack("dev", outputs({ api_url: url }), outputs({}));
    expect(gone.outputs).toEqual([
      { name: "api_url", action: "delete", before: url.value, after: undefined },
    ]);
  });

  test("a sensitive output is masked, and still shows that it changed", () => {
    const set = compareStack(
      "dev",
      outputs({ token: { value: "old-secret", sensitive: true } }),
      outputs({ token: { value: "new-secret", sensitive: true } }),
    );
    expect(set.outputs).toEqual([
      { name: "token", action: "update", before: "(sensitive)", after: "(sensitive), changed" },
    ]);
    const { markdown } = buildReview(
      { dev: outputs({ token: { value: "old-secret", sensitive: true } }) },
      { dev: outputs({ token: { value: "new-secret", sensitive: true } }) },
      { base: "a", head: "b" },
    );
    expect(markdown).not.toContain("secret");
    expect(markdown).toContain("| dev | 0 | 0 | 0 | 0 | 1 |");
  });

  test("a change of the description alone shows the whole definition", () => {
    const set = compareStack(
      "dev",
      outputs({ api_url: { ...url, description: "a" } }),
      outputs({ api_url: { ...url, description: "b" } }),
    );
    expect(set.outputs[0]).toMatchObject({
      before: { ...url, description: "a" },
      after: { ...url, description: "b" },
    });
  });
});

describe("risk flags", () => {
  const b = { dev: stack(base) };
  const h = (change: (r: Resources) => void) => ({ dev: stack(withResources(change)) });

  test("an allUsers invoker member makes the service public", () => {
    const risks = detectRisks(
      compareStacks(
        b,
        h((r) => {
          r.google_cloud_run_v2_service_iam_member = {
            public: { name: "api", role: "roles/run.invoker", member: "allUsers" },
          };
        }),
      ),
    );
    expect(risks).toEqual([
      expect.objectContaining({
        code: "SERVICE_PUBLIC",
        scope: "dev",
        address: "google_cloud_run_v2_service_iam_member.public",
        message: expect.stringContaining("roles/run.invoker to allUsers"),
      }),
    ]);
  });

  test("invoker_iam_disabled turned true makes the service public", () => {
    expect(
      codes(
        b,
        h((r) => {
          r.google_cloud_run_v2_service.api.invoker_iam_disabled = true;
        }),
      ),
    ).toEqual(["SERVICE_PUBLIC"]);
  });

  test("deletion_protection turned off is flagged", () => {
    expect(
      codes(
        b,
        h((r) => {
          r.google_cloud_run_v2_service.api.deletion_protection = false;
        }),
      ),
    ).toEqual(["DELETION_PROTECTION_OFF"]);
  });

  test("a removed IAM member is flagged with its member and role", () => {
    const risks = detectRisks(
      compareStacks(
        b,
        h((r) => {
          delete r.google_project_iam_member;
        }),
      ),
    );
    expect(risks.map((r) => r.message)).toEqual([
      "removes serviceAccount:${google_service_account.api_sa.email} from roles/logging.logWriter",
    ]);
  });

  test("an added authoritative binding is flagged", () => {
    expect(
      codes(
        b,
        h((r) => {
          r.google_project_iam_binding = {
            admins: { role: "roles/run.admin", members: ["group:a@acme.example"] },
          };
        }),
      ),
    ).toEqual(["IAM_AUTHORITATIVE"]);
  });

  test("a removed API and a changed disable_on_destroy are flagged", () => {
    expect(
      codes(
        b,
        h((r) => {
          delete r.google_project_service;
        }),
      ),
    ).toEqual(["API_REMOVED"]);
    expect(
      codes(
        b,
        h((r) => {
          r.google_project_service.run.disable_on_destroy = true;
        }),
      ),
    ).toEqual(["API_DISABLE_ON_DESTROY"]);
  });

  test("an image moved from a digest to a tag is flagged", () => {
    const risks = detectRisks(
      compareStacks(
        b,
        h((r) => {
          r.google_cloud_run_v2_service.api = service({}, "us-docker.pkg.dev/acme-ci/apps/api:v2");
        }),
      ),
    );
    expect(risks).toEqual([
      expect.objectContaining({
        code: "IMAGE_TAG",
        message: `image moves from a digest to a tag: ${IMAGE} → us-docker.pkg.dev/acme-ci/apps/api:v2`,
      }),
    ]);
  });

  test("a deleted workload is flagged", () => {
    expect(
      codes(
        b,
        h((r) => {
          delete r.google_cloud_run_v2_service;
        }),
      ),
    ).toEqual(["WORKLOAD_DELETED"]);
  });

  test("a deleted stack is flagged once, with its workloads", () => {
    expect(codes({ dev: stack(base), prod: stack(base) }, b)).toEqual([
      "STACK_DELETED",
      "WORKLOAD_DELETED",
    ]);
  });

  test("a replacement is flagged with the field that forces it", () => {
    const risks = detectRisks(
      compareStacks(
        b,
        h((r) => {
          r.google_cloud_run_v2_service.api.location = "us-east4";
        }),
      ),
    );
    expect(risks.map((r) => [r.code, r.message])).toEqual([
      ["REPLACED", 'destroyed and re-created "api": location changed'],
    ]);
  });
});

describe("buildReview", () => {
  const head = {
    dev: stack(
      withResources((r) => {
        r.google_cloud_run_v2_service.api = service({ deletion_protection: false });
      }),
    ),
  };
  const { markdown, changed } = buildReview({ dev: stack(base) }, head, {
    base: "main (abc1234)",
    head: "working tree",
  });

  test("reports changes", () => expect(changed).toBe(true));

  test("has a summary table with counts per stack and action", () => {
    expect(markdown).toContain("| stack | add | change | replace | destroy | outputs |");
    expect(markdown).toContain("| dev | 0 | 1 | 0 | 0 | 0 |");
  });

  test("lists risks before the per-resource details", () => {
    const risk = markdown.indexOf(
      "**DELETION_PROTECTION_OFF** stack `dev` `google_cloud_run_v2_service.api`",
    );
    expect(risk).toBeGreaterThan(0);
    expect(risk).toBeLessThan(markdown.indexOf("<details>"));
  });

  test("shows each resource in a collapsible block with its attribute diff", () => {
    expect(markdown).toContain(
      "<summary><code>~</code> update <code>google_cloud_run_v2_service.api</code></summary>",
    );
    expect(markdown).toContain("| `deletion_protection` | `true` | `false` |");
  });

  test("ends with the Mermaid diagram of what changes, and its legend", () => {
    expect(markdown).toMatch(
      /### What changes: workloads, identities, roles and calls\n\n```mermaid\nflowchart LR\n[^`]*\n```\n\nGreen: added; .*\n$/,
    );
  });

  test("--no-diagram leaves the diagram out", () => {
    const quiet = buildReview(
      { dev: stack(base) },
      head,
      { base: "a", head: "b" },
      { diagram: false },
    );
    expect(quiet.markdown).not.toContain("```mermaid");
  });

  test("says No changes for identical trees", () => {
    const same = buildReview({ dev: stack(base) }, { dev: stack(base) }, { base: "a", head: "b" });
    expect(same.changed).toBe(false);
    expect(same.markdown).toContain("**No changes.**");
    expect(same.markdown).toContain("No risks found.");
  });
});

describe("synthEnv (issue 14 item 12)", () => {
  const from = {
    PATH: "/usr/bin",
    ENVIRONMENTS_DIR: "/head/environments",
    CDKTF_CONTEXT_JSON: "{}",
    CDKTF_TARGET_STACK_ID: "dev",
    CDKTF_OUTDIR: "/head/cdktf.out",
    SYNTH_HCL_OUTPUT: "true",
    TSX_TSCONFIG_PATH: "/head/tsconfig.json",
  };

  test("the base synth inherits none of the variables that point at the head", () => {
    expect(synthEnv("base", "/tmp/out", from)).toEqual({
      PATH: "/usr/bin",
      CDKTF_OUTDIR: "/tmp/out",
      CHECKPOINT_DISABLE: "1",
    });
  });

  test("the head synth keeps ENVIRONMENTS_DIR but always writes every stack as JSON", () => {
    expect(synthEnv("head", "/tmp/out", from)).toEqual({
      PATH: "/usr/bin",
      ENVIRONMENTS_DIR: "/head/environments",
      CDKTF_CONTEXT_JSON: "{}",
      TSX_TSCONFIG_PATH: "/head/tsconfig.json",
      CDKTF_OUTDIR: "/tmp/out",
      CHECKPOINT_DISABLE: "1",
    });
  });
});
