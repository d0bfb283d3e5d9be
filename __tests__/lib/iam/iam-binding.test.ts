import { Construct } from "constructs";
import { App, TerraformStack, Testing } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { IamBinding, IGrantable, IamTarget, WorkloadIamTarget } from "@cdktf-cloud-run/constructs";
import { ConfigError } from "../../../lib/core/errors";
import { grantDeployers } from "@cdktf-cloud-run/constructs";
import { plainStack, resources, synth, TfJson } from "../../helpers";

/** A stand-in for CloudRunService / CloudRunJob / WorkerPool: only what IamBinding reads. */
class FakeWorkload extends Construct implements IGrantable {
  readonly iamTarget: WorkloadIamTarget;
  constructor(
    scope: Construct,
    id: string,
    kind: WorkloadIamTarget["kind"],
    opts: { project?: string } = {},
  ) {
    super(scope, id);
    this.iamTarget = {
      kind,
      key: this.node.path,
      name: id.toLowerCase(),
      location: "europe-west1",
      project: opts.project,
      scope: this,
    };
  }
}

const INVOKER = "roles/run.invoker";

function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

function bind(target: IamTarget, members: string[], role = INVOKER, id = "Binding") {
  const stack = plainStack();
  const binding = new IamBinding(stack, id, { target, role, members });
  return { stack, binding, json: synth(stack) };
}

/** Every resource whose type ends in `_iam_binding` or `_iam_policy`. */
function authoritativeTypes(json: TfJson): string[] {
  return Object.keys(json.resource ?? {}).filter((t) => /_iam_(binding|policy)$/.test(t));
}

describe("IamBinding targets", () => {
  test("grants on a project with google_project_iam_member", () => {
    const { json } = bind({ project: "acme-dev" }, ["group:qa@acme.example"], "roles/viewer");
    expect(Object.values(resources(json, "google_project_iam_member"))).toEqual([
      { project: "acme-dev", role: "roles/viewer", member: "group:qa@acme.example" },
    ]);
  });

  test("accepts a project written as projects/ID", () => {
    const { json } = bind(
      { project: "projects/acme-dev" },
      ["group:qa@acme.example"],
      "roles/viewer",
    );
    expect(Object.values(resources(json, "google_project_iam_member"))[0].project).toBe("acme-dev");
  });

  test("grants on a service account by email, as projects/-/serviceAccounts/EMAIL", () => {
    const { json } = bind({ serviceAccount: "api@acme-dev.iam.gserviceaccount.com" }, [
      "group:platform@acme.example",
    ]);
    expect(Object.values(resources(json, "google_service_account_iam_member"))).toEqual([
      {
        service_account_id: "projects/-/serviceAccounts/api@acme-dev.iam.gserviceaccount.com",
        role: INVOKER,
        member: "group:platform@acme.example",
      },
    ]);
  });

  test("accepts a service account written as serviceAccount:EMAIL", () => {
    const { json } = bind(
      { serviceAccount: "serviceAccount:api@acme-dev.iam.gserviceaccount.com" },
      ["group:platform@acme.example"],
    );
    expect(Object.values(resources(json, "google_service_account_iam_member"))[0]).toMatchObject({
      service_account_id: "projects/-/serviceAccounts/api@acme-dev.iam.gserviceaccount.com",
    });
  });

  test("keeps a service account given as projects/P/serviceAccounts/EMAIL", () => {
    const id = "projects/acme-dev/serviceAccounts/api@acme-dev.iam.gserviceaccount.com";
    const { json } = bind({ serviceAccount: id }, ["group:platform@acme.example"]);
    expect(
      Object.values(resources(json, "google_service_account_iam_member"))[0].service_account_id,
    ).toBe(id);
  });

  test("grants on a service account created in the stack (a reference)", () => {
    const stack = plainStack();
    const sa = new ServiceAccount(stack, "sa", { accountId: "api" });
    new IamBinding(stack, "Users", {
      target: { serviceAccount: sa.email },
      role: "roles/iam.serviceAccountUser",
      members: ["group:platform@acme.example"],
    });
    const json = synth(stack);
    expect(
      Object.values(resources(json, "google_service_account_iam_member"))[0].service_account_id,
    ).toBe("projects/-/serviceAccounts/${google_service_account.sa.email}");
  });

  test("grants on a secret by name, in the given project", () => {
    const { json } = bind({ secret: "db-pass", project: "acme-dev" }, [
      "serviceAccount:api@acme-dev.iam.gserviceaccount.com",
    ]);
    expect(Object.values(resources(json, "google_secret_manager_secret_iam_member"))).toEqual([
      {
        secret_id: "db-pass",
        project: "acme-dev",
        role: INVOKER,
        member: "serviceAccount:api@acme-dev.iam.gserviceaccount.com",
      },
    ]);
  });

  test("leaves a secret's project to the provider when none is given", () => {
    const { json } = bind({ secret: "db-pass" }, ["user:ana@acme.example"]);
    const r = Object.values(resources(json, "google_secret_manager_secret_iam_member"))[0];
    expect(r.project).toBeUndefined();
  });

  test("splits a secret given as projects/P/secrets/NAME into project and secret_id", () => {
    const { json } = bind({ secret: "projects/acme-shared/secrets/db-pass" }, [
      "user:ana@acme.example",
    ]);
    expect(
      Object.values(resources(json, "google_secret_manager_secret_iam_member"))[0],
    ).toMatchObject({ secret_id: "db-pass", project: "acme-shared" });
  });

  test("rejects a secret path whose project differs from project", () => {
    const stack = plainStack();
    const e = thrown(
      () =>
        new IamBinding(stack, "S", {
          target: { secret: "projects/acme-shared/secrets/db-pass", project: "acme-dev" },
          role: INVOKER,
          members: ["user:ana@acme.example"],
        }),
    );
    expect(e.message).toContain("CR_IAM_TARGET: [test/S] target is");
    expect(e.message).toContain(
      "project acme-dev differs from the one in projects/acme-shared/secrets/db-pass",
    );
  });

  test("rejects a secret name with characters Secret Manager does not allow", () => {
    const e = thrown(() => bind({ secret: "db pass!" }, ["user:ana@acme.example"]));
    expect(e.message).toContain("a secret id is 1–255 letters, digits, - and _");
  });

  test.each([
    ["service", "google_cloud_run_v2_service_iam_member"],
    ["job", "google_cloud_run_v2_job_iam_member"],
    ["worker-pool", "google_cloud_run_v2_worker_pool_iam_member"],
  ] as const)("grants on a %s construct with %s", (kind, type) => {
    const stack = plainStack();
    const w = new FakeWorkload(stack, "Api", kind, { project: "acme-dev" });
    new IamBinding(stack, "B", { target: w, role: INVOKER, members: ["group:qa@acme.example"] });
    expect(Object.values(resources(synth(stack), type))).toEqual([
      {
        name: "api",
        location: "europe-west1",
        project: "acme-dev",
        role: INVOKER,
        member: "group:qa@acme.example",
      },
    ]);
  });

  test.each([
    ["service", "google_cloud_run_v2_service_iam_member"],
    ["job", "google_cloud_run_v2_job_iam_member"],
    ["workerPool", "google_cloud_run_v2_worker_pool_iam_member"],
  ] as const)("grants on a %s named by string, in the provider's region", (key, type) => {
    const { json } = bind({ [key]: "report" } as unknown as IamTarget, ["group:qa@acme.example"]);
    expect(Object.values(resources(json, type))).toEqual([
      { name: "report", location: "us-central1", role: INVOKER, member: "group:qa@acme.example" },
    ]);
  });

  test("uses the location and project given with a string target", () => {
    const { json } = bind({ service: "api", location: "asia-east1", project: "acme-prod" }, [
      "group:qa@acme.example",
    ]);
    expect(
      Object.values(resources(json, "google_cloud_run_v2_service_iam_member"))[0],
    ).toMatchObject({ name: "api", location: "asia-east1", project: "acme-prod" });
  });

  test.each([
    [
      "service",
      "projects/acme-prod/locations/asia-east1/services/api",
      "google_cloud_run_v2_service_iam_member",
    ],
    [
      "job",
      "projects/acme-prod/locations/asia-east1/jobs/api",
      "google_cloud_run_v2_job_iam_member",
    ],
    [
      "workerPool",
      "projects/acme-prod/locations/asia-east1/workerPools/api",
      "google_cloud_run_v2_worker_pool_iam_member",
    ],
  ] as const)("splits a full %s path into project, location and name", (key, path, type) => {
    const { json } = bind({ [key]: path } as unknown as IamTarget, ["group:qa@acme.example"]);
    expect(Object.values(resources(json, type))[0]).toMatchObject({
      name: "api",
      location: "asia-east1",
      project: "acme-prod",
    });
  });

  test("fails with CR_IAM_LOCATION when a string workload target has no region anywhere", () => {
    const stack = new TerraformStack(Testing.app(), "noregion");
    new GoogleProvider(stack, "google", { project: "acme-dev" });
    const e = thrown(
      () =>
        new IamBinding(stack, "B", {
          target: { job: "report" },
          role: INVOKER,
          members: ["group:qa@acme.example"],
        }),
    );
    expect(e.message).toContain("CR_IAM_LOCATION: [noregion/B] target.location is not set");
    expect(e.message).toContain('Pass location, e.g. { location: "us-central1" }');
  });

  test("grants on a Pub/Sub subscription by name", () => {
    const { json } = bind(
      { subscription: "orders-worker" },
      ["serviceAccount:worker@acme-dev.iam.gserviceaccount.com"],
      "roles/pubsub.subscriber",
    );
    expect(Object.values(resources(json, "google_pubsub_subscription_iam_member"))).toEqual([
      {
        subscription: "orders-worker",
        role: "roles/pubsub.subscriber",
        member: "serviceAccount:worker@acme-dev.iam.gserviceaccount.com",
      },
    ]);
  });

  test("splits a subscription given as projects/P/subscriptions/NAME", () => {
    const { json } = bind(
      { subscription: "projects/acme-data/subscriptions/orders" },
      ["serviceAccount:worker@acme-dev.iam.gserviceaccount.com"],
      "roles/pubsub.subscriber",
    );
    expect(
      Object.values(resources(json, "google_pubsub_subscription_iam_member"))[0],
    ).toMatchObject({
      subscription: "orders",
      project: "acme-data",
    });
  });

  test("rejects a target that names two resources", () => {
    const e = thrown(() =>
      bind({ service: "api", job: "api" } as unknown as IamTarget, ["group:qa@acme.example"]),
    );
    expect(e.message).toContain("CR_IAM_TARGET: [test/Binding] target is");
    expect(e.message).toContain("the target names service and job; give exactly one");
  });

  test("rejects a target that names no resource, listing the accepted forms", () => {
    const e = thrown(() => bind({} as IamTarget, ["group:qa@acme.example"]));
    expect(e.message).toContain("the target names no resource");
    expect(e.message).toContain("{ subscription, project? }");
  });

  test("rejects a malformed project id", () => {
    const e = thrown(() => bind({ project: "Acme Dev" }, ["group:qa@acme.example"]));
    expect(e.message).toContain('CR_IAM_TARGET: [test/Binding] target is {"project":"Acme Dev"}');
    expect(e.message).toContain("a project id is 6–30 lowercase letters");
  });

  test("rejects a service account that is not an email", () => {
    const e = thrown(() => bind({ serviceAccount: "api" }, ["group:qa@acme.example"]));
    expect(e.message).toContain(
      'CR_IAM_SERVICE_ACCOUNT: [test/Binding] target.serviceAccount is "api"',
    );
  });
});

describe("IamBinding is additive by default", () => {
  test("writes one _iam_member per member and no _iam_binding or _iam_policy", () => {
    const { json } = bind(
      { project: "acme-dev" },
      ["group:a@acme.example", "user:b@acme.example"],
      "roles/viewer",
    );
    expect(Object.keys(resources(json, "google_project_iam_member"))).toHaveLength(2);
    expect(authoritativeTypes(json)).toEqual([]);
  });

  test("derives construct ids from the member, so reordering members keeps every resource", () => {
    const a = bind({ project: "acme-dev" }, ["group:a@acme.example", "user:b@acme.example"]);
    const b = bind({ project: "acme-dev" }, ["user:b@acme.example", "group:a@acme.example"]);
    const ids = (j: TfJson) => Object.keys(resources(j, "google_project_iam_member")).sort();
    expect(ids(a.json)).toEqual(ids(b.json));
    expect(ids(a.json)[0]).toMatch(/^Binding_groupaacmeexample_/);
  });

  test("writes the same member once when it is listed twice", () => {
    const { json } = bind({ project: "acme-dev" }, [
      "group:a@acme.example",
      "group:a@acme.example",
    ]);
    expect(Object.keys(resources(json, "google_project_iam_member"))).toHaveLength(1);
  });

  test("yields one resource when two bindings grant the same member the same role", () => {
    const stack = plainStack();
    new IamBinding(stack, "One", {
      target: { project: "acme-dev" },
      role: INVOKER,
      members: ["group:a@acme.example"],
    });
    new IamBinding(stack, "Two", {
      target: { project: "acme-dev" },
      role: INVOKER,
      members: ["group:a@acme.example"],
    });
    expect(Object.keys(resources(synth(stack), "google_project_iam_member"))).toHaveLength(1);
  });

  test("IamBinding.grant twice returns the same resource and writes it once", () => {
    const stack = plainStack();
    const first = IamBinding.grant({ project: "acme-dev" }, INVOKER, "group:a@acme.example", stack);
    const second = IamBinding.grant(
      { project: "acme-dev" },
      INVOKER,
      "group:a@acme.example",
      stack,
    );
    expect(second).toBe(first);
    expect(Object.keys(resources(synth(stack), "google_project_iam_member"))).toHaveLength(1);
  });

  test("IamBinding.grant on a workload twice writes one resource under the workload", () => {
    const stack = plainStack();
    const api = new FakeWorkload(stack, "Api", "service");
    IamBinding.grant(api, INVOKER, "group:a@acme.example");
    IamBinding.grant(api, INVOKER, "group:a@acme.example");
    const ids = Object.keys(resources(synth(stack), "google_cloud_run_v2_service_iam_member"));
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatch(/^Api_roles-runinvoker_groupaacmeexample_/);
  });

  test("grants a different role to the same member as a separate resource", () => {
    const stack = plainStack();
    IamBinding.grant({ project: "acme-dev" }, "roles/run.admin", "group:a@acme.example", stack);
    IamBinding.grant(
      { project: "acme-dev" },
      "roles/logging.viewer",
      "group:a@acme.example",
      stack,
    );
    const roles = Object.values(resources(synth(stack), "google_project_iam_member")).map(
      (r) => r.role,
    );
    expect(roles.sort()).toEqual(["roles/logging.viewer", "roles/run.admin"]);
  });

  test("grants the same role on two targets as separate resources", () => {
    const stack = plainStack();
    IamBinding.grant(
      { secret: "a" },
      "roles/secretmanager.secretAccessor",
      "user:x@acme.example",
      stack,
    );
    IamBinding.grant(
      { secret: "b" },
      "roles/secretmanager.secretAccessor",
      "user:x@acme.example",
      stack,
    );
    expect(
      Object.keys(resources(synth(stack), "google_secret_manager_secret_iam_member")),
    ).toHaveLength(2);
  });

  test("treats a project-less secret and the same secret in the provider's project as one target", () => {
    const stack = plainStack({ project: "acme-test" });
    IamBinding.grant(
      { secret: "a" },
      "roles/secretmanager.secretAccessor",
      "user:x@acme.example",
      stack,
    );
    IamBinding.grant(
      { secret: "a", project: "acme-test" },
      "roles/secretmanager.secretAccessor",
      "user:x@acme.example",
      stack,
    );
    expect(
      Object.keys(resources(synth(stack), "google_secret_manager_secret_iam_member")),
    ).toHaveLength(1);
  });

  test("de-duplicates a member that is a reference, whichever token stands for it", () => {
    const stack = plainStack();
    const sa = new ServiceAccount(stack, "sa", { accountId: "api" });
    // Each read of sa.email is a new token; both name the same attribute.
    IamBinding.grant(
      { secret: "a" },
      "roles/secretmanager.secretAccessor",
      `serviceAccount:${sa.email}`,
      stack,
    );
    IamBinding.grant(
      { secret: "a" },
      "roles/secretmanager.secretAccessor",
      `serviceAccount:${sa.email}`,
      stack,
    );
    expect(
      Object.keys(resources(synth(stack), "google_secret_manager_secret_iam_member")),
    ).toHaveLength(1);
  });

  test("names a reference member's resource after the referenced attribute, not the token number", () => {
    const build = (extraFirst: boolean) => {
      const stack = plainStack();
      if (extraFirst) new ServiceAccount(stack, "other", { accountId: "other" }).email.toString();
      const sa = new ServiceAccount(stack, "sa", { accountId: "api" });
      IamBinding.grant(
        { secret: "a" },
        "roles/secretmanager.secretAccessor",
        `serviceAccount:${sa.email}`,
        stack,
      );
      return Object.keys(resources(synth(stack), "google_secret_manager_secret_iam_member"));
    };
    expect(build(true)).toEqual(build(false));
    expect(build(false)[0]).toContain("serviceAccountgoogle_service_accountsaemail");
  });

  test("IamBinding.grant uses memberId as the member resource's construct id when given", () => {
    const stack = plainStack();
    const r = IamBinding.grant(
      { secret: "a" },
      "roles/secretmanager.secretAccessor",
      "user:x@acme.example",
      stack,
      "api-identity",
    );
    expect(r.node.id).toBe("api-identity");
  });

  test("IamBinding.grant on a non-workload target without a scope fails and says what to pass", () => {
    expect(() => IamBinding.grant({ project: "acme-dev" }, INVOKER, "user:x@acme.example")).toThrow(
      /needs a scope: pass any construct of the stack as the fourth argument/,
    );
  });

  test("IamBinding.grant puts non-workload grants under the stack's Grants construct", () => {
    const stack = plainStack();
    const r = IamBinding.grant({ project: "acme-dev" }, INVOKER, "user:x@acme.example", stack);
    expect(r.node.path).toBe("test/Grants/project:acme-dev/roles-run.invoker/user:x@acme.example");
  });

  test("addMember adds a member to an existing additive binding", () => {
    const stack = plainStack();
    const b = new IamBinding(stack, "B", {
      target: { project: "acme-dev" },
      role: INVOKER,
      members: ["user:a@acme.example"],
    });
    b.addMember("user:c@acme.example");
    expect(b.members).toEqual(["user:a@acme.example", "user:c@acme.example"]);
    expect(b.memberResources).toHaveLength(2);
  });

  test("fails at synth when an additive binding never gets a member", () => {
    const stack = plainStack();
    new IamBinding(stack, "Empty", { target: { project: "acme-dev" }, role: INVOKER, members: [] });
    expect(() => synth(stack)).toThrow(
      /CR_IAM_NO_MEMBERS: \[test\/Empty\] members is \[\]; an IamBinding for roles\/run.invoker needs at least one member/,
    );
  });

  test("accepts an additive binding created empty and filled with addMember", () => {
    const stack = plainStack();
    const b = new IamBinding(stack, "Later", {
      target: { project: "acme-dev" },
      role: INVOKER,
      members: [],
    });
    b.addMember("user:a@acme.example");
    expect(() => synth(stack)).not.toThrow();
  });
});

describe("IamBinding authoritative", () => {
  test("writes one _iam_binding with every member and no _iam_member", () => {
    const stack = plainStack();
    new IamBinding(stack, "Owners", {
      target: { project: "acme-dev" },
      role: "roles/run.admin",
      members: ["group:a@acme.example", "user:b@acme.example", "group:a@acme.example"],
      authoritative: true,
    });
    const json = synth(stack);
    expect(Object.values(resources(json, "google_project_iam_binding"))).toEqual([
      {
        project: "acme-dev",
        role: "roles/run.admin",
        members: ["group:a@acme.example", "user:b@acme.example"],
      },
    ]);
    expect(resources(json, "google_project_iam_member")).toEqual({});
  });

  test.each([
    [
      { serviceAccount: "a@acme-dev.iam.gserviceaccount.com" },
      "google_service_account_iam_binding",
    ],
    [{ secret: "db" }, "google_secret_manager_secret_iam_binding"],
    [{ service: "api" }, "google_cloud_run_v2_service_iam_binding"],
    [{ job: "api" }, "google_cloud_run_v2_job_iam_binding"],
    [{ workerPool: "api" }, "google_cloud_run_v2_worker_pool_iam_binding"],
    [{ subscription: "orders" }, "google_pubsub_subscription_iam_binding"],
  ] as Array<[IamTarget, string]>)("writes %j as %s", (target, type) => {
    const stack = plainStack();
    new IamBinding(stack, "B", {
      target,
      role: INVOKER,
      members: ["user:a@acme.example"],
      authoritative: true,
    });
    expect(Object.values(resources(synth(stack), type))[0].members).toEqual([
      "user:a@acme.example",
    ]);
  });

  test("writes a workload's authoritative binding with name, location and project", () => {
    const stack = plainStack();
    const api = new FakeWorkload(stack, "Api", "service", { project: "acme-dev" });
    new IamBinding(stack, "B", {
      target: api,
      role: INVOKER,
      members: ["user:a@acme.example"],
      authoritative: true,
    });
    expect(
      Object.values(resources(synth(stack), "google_cloud_run_v2_service_iam_binding"))[0],
    ).toEqual({
      name: "api",
      location: "europe-west1",
      project: "acme-dev",
      role: INVOKER,
      members: ["user:a@acme.example"],
    });
  });

  test("refuses an authoritative binding with no members, which would remove everyone", () => {
    const stack = plainStack();
    const e = thrown(
      () =>
        new IamBinding(stack, "Owners", {
          target: { project: "acme-dev" },
          role: "roles/run.admin",
          members: [],
          authoritative: true,
        }),
    );
    expect(e.message).toContain(
      "CR_IAM_NO_MEMBERS: [test/Owners] members is []; an authoritative binding with no members removes every member of roles/run.admin from the target",
    );
  });

  test("fails at synth when an authoritative binding and an additive grant share a role and target", () => {
    const stack = plainStack();
    new IamBinding(stack, "Owners", {
      target: { project: "acme-dev" },
      role: "roles/run.admin",
      members: ["group:a@acme.example"],
      authoritative: true,
    });
    IamBinding.grant({ project: "acme-dev" }, "roles/run.admin", "user:b@acme.example", stack);
    expect(() => synth(stack)).toThrow(
      /CR_IAM_CONFLICT: \[test\/Owners\] authoritative is true; an authoritative binding of roles\/run.admin fights with other grants of roles\/run.admin on the same target \(test\/Grants\/project:acme-dev\/roles-run.admin\)/,
    );
  });

  test("fails at synth when two authoritative bindings share a role and target", () => {
    const stack = plainStack();
    for (const id of ["A", "B"]) {
      new IamBinding(stack, id, {
        target: { project: "acme-dev" },
        role: "roles/run.admin",
        members: ["group:a@acme.example"],
        authoritative: true,
      });
    }
    expect(() => synth(stack)).toThrow(/CR_IAM_CONFLICT: \[test\/A\]/);
  });

  test("allows an authoritative binding next to additive grants of other roles", () => {
    const stack = plainStack();
    new IamBinding(stack, "Owners", {
      target: { project: "acme-dev" },
      role: "roles/run.admin",
      members: ["group:a@acme.example"],
      authoritative: true,
    });
    IamBinding.grant({ project: "acme-dev" }, "roles/viewer", "user:b@acme.example", stack);
    expect(() => synth(stack)).not.toThrow();
  });

  test("refuses addMember on an authoritative binding", () => {
    const stack = plainStack();
    const b = new IamBinding(stack, "Owners", {
      target: { project: "acme-dev" },
      role: "roles/run.admin",
      members: ["group:a@acme.example"],
      authoritative: true,
    });
    expect(() => b.addMember("user:b@acme.example")).toThrow(
      /test\/Owners: addMember\(\) is for additive bindings/,
    );
  });
});

describe("IamBinding members", () => {
  test.each([
    "user:ana@acme.example",
    "group:platform@acme.example",
    "serviceAccount:api@acme-dev.iam.gserviceaccount.com",
    "serviceAccount:123456789-compute@developer.gserviceaccount.com",
    "serviceAccount:acme-dev.svc.id.goog[apps/api]",
    "domain:acme.example",
    "principal://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/gh/subject/repo:acme/api",
    "principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/gh/attribute.repository/acme/api",
    "allUsers",
    "allAuthenticatedUsers",
  ])("accepts %s", (member) => {
    const { json } = bind({ project: "acme-dev" }, [member]);
    expect(Object.values(resources(json, "google_project_iam_member"))[0].member).toBe(member);
  });

  test("accepts a member that is a reference after a literal kind", () => {
    const stack = plainStack();
    const sa = new ServiceAccount(stack, "sa", { accountId: "api" });
    new IamBinding(stack, "B", {
      target: { project: "acme-dev" },
      role: INVOKER,
      members: [`serviceAccount:${sa.email}`],
    });
    expect(Object.values(resources(synth(stack), "google_project_iam_member"))[0].member).toBe(
      "serviceAccount:${google_service_account.sa.email}",
    );
  });

  test("accepts a member that is a reference only", () => {
    const stack = plainStack();
    const sa = new ServiceAccount(stack, "sa", { accountId: "api" });
    expect(
      () =>
        new IamBinding(stack, "B", {
          target: { project: "acme-dev" },
          role: INVOKER,
          members: [sa.member],
        }),
    ).not.toThrow();
  });

  test.each([
    ["", "a member cannot be empty", "Remove it"],
    ["   ", "a member cannot be empty", "Remove it"],
    [
      "alice@acme.example",
      "an email needs its kind as a prefix",
      'Write "user:alice@acme.example" (or "group:alice@acme.example" for a group)',
    ],
    [
      "api@acme-dev.iam.gserviceaccount.com",
      "an email needs its kind as a prefix",
      'Write "serviceAccount:api@acme-dev.iam.gserviceaccount.com"',
    ],
    ["user: alice@acme.example", "a member has no spaces", 'Write it as "user:alice@acme.example"'],
    ["User:alice@acme.example", "the kind is case-sensitive", 'Write "user:alice@acme.example"'],
    [
      "serviceaccount:a@b.iam.gserviceaccount.com",
      "the kind is case-sensitive",
      'Write "serviceAccount:a@b.iam.gserviceaccount.com"',
    ],
    ["allusers", "the special members are case-sensitive", 'Write "allUsers"'],
    ["team:alice@acme.example", '"team" is not a member kind', "Write one of the accepted forms"],
    ["user:alice", 'a user member is "user:EMAIL"', 'Write e.g. "user:name@acme.example"'],
    ["group:", 'a group member is "group:EMAIL"', 'Write e.g. "group:name@acme.example"'],
    ["serviceAccount:api", 'a serviceAccount member is "serviceAccount:EMAIL"', "Write e.g."],
    [
      "domain:acme",
      "a domain member names a Google Workspace or Cloud Identity domain",
      'Write e.g. "domain:acme.example"',
    ],
    ["domain:ana@acme.example", "a domain member names", "Write e.g."],
    [
      "principal:alice",
      'a principal is an identifier URI "principal://iam.googleapis.com/…"',
      "Copy the identifier",
    ],
    [
      "principalSet://",
      'a principalSet is an identifier URI "principalSet://iam.googleapis.com/…"',
      "Copy the identifier",
    ],
    [
      "deleted:user:alice@acme.example?uid=123",
      "a deleted principal cannot be granted a role",
      "Remove the member",
    ],
    ["everyone", "a member starts with its kind", "Write one of the accepted forms"],
  ])("rejects %j: %s", (member, why, fix) => {
    const e = thrown(() => bind({ project: "acme-dev" }, [member]));
    expect(e.message).toContain(
      `CR_IAM_MEMBER: [test/Binding] members[0] is ${JSON.stringify(member)}; ${why}`,
    );
    expect(e.message).toContain(
      'a member is "user:EMAIL", "group:EMAIL", "serviceAccount:EMAIL", "domain:DOMAIN"',
    );
    expect(e.message).toContain(fix);
  });

  test("rejects a reference preceded by text that is not a member kind", () => {
    const stack = plainStack();
    const sa = new ServiceAccount(stack, "sa", { accountId: "api" });
    const e = thrown(
      () =>
        new IamBinding(stack, "B", {
          target: { project: "acme-dev" },
          role: INVOKER,
          members: [`sa:${sa.email}`],
        }),
    );
    expect(e.message).toContain('the text before the reference ("sa:") is not a member kind');
  });

  test("names the position of the bad member", () => {
    const e = thrown(() => bind({ project: "acme-dev" }, ["user:a@acme.example", "bob"]));
    expect(e.message).toContain('members[1] is "bob"');
  });

  test("rejects a bad member passed to addMember, naming the prop member", () => {
    const stack = plainStack();
    const b = new IamBinding(stack, "B", {
      target: { project: "acme-dev" },
      role: INVOKER,
      members: ["user:a@acme.example"],
    });
    expect(() => b.addMember("bob")).toThrow(/CR_IAM_MEMBER: \[test\/B\] member is "bob"/);
  });

  test("rejects a bad member passed to IamBinding.grant", () => {
    const stack = plainStack();
    expect(() =>
      IamBinding.grant({ project: "acme-dev" }, INVOKER, "bob@acme.example", stack),
    ).toThrow(
      /CR_IAM_MEMBER: .* member is "bob@acme.example"; an email needs its kind as a prefix/,
    );
  });
});

describe("IamBinding roles", () => {
  test.each([
    "roles/run.invoker",
    "roles/iam.serviceAccountUser",
    "roles/viewer",
    "projects/acme-dev/roles/cloudRunDeployer",
    "organizations/123456789012/roles/custom.deployer",
  ])("accepts %s", (role) => {
    const { json } = bind({ project: "acme-dev" }, ["user:a@acme.example"], role);
    expect(Object.values(resources(json, "google_project_iam_member"))[0].role).toBe(role);
  });

  test.each([
    ["run.invoker", "a predefined role starts with roles/", 'Write "roles/run.invoker"'],
    ["role/run.invoker", "the prefix is roles/, plural", 'Write "roles/run.invoker"'],
    ["", "a role cannot be empty", 'Use e.g. "roles/run.invoker"'],
    ["roles/run invoker", "a role has no spaces", 'Write "roles/runinvoker"'],
    ["roles/", "that is not a role name", 'Use e.g. "roles/run.invoker"'],
    ["Run Invoker", "a role has no spaces", "Write"],
    ["projects/Acme_Dev/roles/deployer", "that is not a role name", "Use e.g."],
    ["organizations/acme/roles/deployer", "that is not a role name", "Use e.g."],
    ["projects/acme-dev/roles/", "that is not a role name", "Use e.g."],
  ])("rejects %j: %s", (role, why, fix) => {
    const e = thrown(() => bind({ project: "acme-dev" }, ["user:a@acme.example"], role));
    expect(e.message).toContain(
      `CR_IAM_ROLE: [test/Binding] role is ${JSON.stringify(role)}; ${why}`,
    );
    expect(e.message).toContain(
      'a role is "roles/NAME", "projects/PROJECT_ID/roles/NAME" or "organizations/ORG_ID/roles/NAME"',
    );
    expect(e.message).toContain(fix);
  });

  test("lists a bad role and a bad member in one error", () => {
    const e = thrown(() => bind({ project: "acme-dev" }, ["bob"], "run.invoker"));
    expect(e.problems.map((p) => p.code)).toEqual(["CR_IAM_ROLE", "CR_IAM_MEMBER"]);
  });
});

describe("IamBinding outside one stack", () => {
  test("de-duplicates per stack: the same grant in two stacks is written in each", () => {
    const app: App = Testing.app();
    const stacks = ["a", "b"].map((name) => {
      const s = new TerraformStack(app, name);
      new GoogleProvider(s, "google", { project: "acme-dev", region: "us-central1" });
      IamBinding.grant({ project: "acme-dev" }, INVOKER, "user:a@acme.example", s);
      return s;
    });
    for (const s of stacks)
      expect(Object.keys(resources(synth(s), "google_project_iam_member"))).toHaveLength(1);
  });
});

describe("README: IAM: who gets what", () => {
  test("the IamBinding example writes two additive grants and the deployer set", () => {
    const stack = plainStack({ project: "acme-dev" });
    const api = new FakeWorkload(stack, "Api", "service");
    // From README.md, with `this` = stack:
    new IamBinding(stack, "QaInvokers", {
      target: api, // a CloudRunService
      role: "roles/run.invoker",
      members: ["group:qa@acme.example"],
    });
    new IamBinding(stack, "OrdersPull", {
      target: { subscription: "projects/acme-dev/subscriptions/orders-worker" },
      role: "roles/pubsub.subscriber",
      members: ["serviceAccount:orders-worker@acme-dev.iam.gserviceaccount.com"],
    });
    grantDeployers(stack, ["serviceAccount:deploy@acme-ci.iam.gserviceaccount.com"]);

    const json = synth(stack);
    expect(Object.values(resources(json, "google_cloud_run_v2_service_iam_member"))).toEqual([
      expect.objectContaining({ name: "api", role: INVOKER, member: "group:qa@acme.example" }),
    ]);
    expect(Object.values(resources(json, "google_pubsub_subscription_iam_member"))).toEqual([
      expect.objectContaining({ subscription: "orders-worker", project: "acme-dev" }),
    ]);
    expect(Object.keys(resources(json, "google_project_iam_member"))).toHaveLength(3);
    expect(authoritativeTypes(json)).toEqual([]);
  });
});
