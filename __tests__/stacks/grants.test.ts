import { readFileSync } from "fs";
import { Construct } from "constructs";
import { Testing } from "cdktf";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { Environment, parseEnvironment } from "../../stacks/environment";
import { identitiesOf, registerWorkload } from "../../lib/core/registry";
import { env, resources, synth, TfJson } from "../helpers";

// The catalog can be swapped for a fake one per test, to check that EnvironmentStack grants
// deployers on the accounts of the workloads the catalog defines (so after defining them).
let mockCatalog: ((scope: Construct, e: Environment) => void) | undefined;
jest.mock("../../stacks/workloads", () => {
  const actual = jest.requireActual("../../stacks/workloads");
  return {
    ...actual,
    defineWorkloads: (scope: Construct, e: Environment) =>
      mockCatalog ? mockCatalog(scope, e) : actual.defineWorkloads(scope, e),
  };
});

afterEach(() => {
  mockCatalog = undefined;
});

const PLATFORM = "group:platform@acme.example";
const CI = "serviceAccount:deploy@acme-ci.iam.gserviceaccount.com";
const COMPUTE_DEFAULT =
  "serviceAccount:${data.google_project.project.number}-compute@developer.gserviceaccount.com";

// The catalog's images, taken from the shipped dev file so the real catalog can be built.
const IMAGES = readFileSync(`${__dirname}/../../environments/dev.yaml`, "utf8").match(
  /^images:\n(?:[ #].*\n)+/m,
)![0];

const YAML =
  "project: acme-dev\nregion: us-central1\ntier: dev\n" +
  `deployers: ["${PLATFORM}", "${CI}"]\nbuild: { grantRunBuilder: true }\n` +
  IMAGES;

/** `project role member` of every google_project_iam_member, sorted. */
function projectGrants(json: TfJson): string[] {
  return Object.values(resources(json, "google_project_iam_member"))
    .map((r) => `${r.project} ${r.role} ${r.member}`)
    .sort();
}

/** `account role member` of every google_service_account_iam_member, sorted. */
function accountGrants(json: TfJson): string[] {
  return Object.values(resources(json, "google_service_account_iam_member"))
    .map((r) => `${r.service_account_id} ${r.role} ${r.member}`)
    .sort();
}

/** Resource types that are authoritative IAM (`_iam_binding`, `_iam_policy`). */
function authoritativeTypes(json: TfJson): string[] {
  return Object.keys(json.resource ?? {}).filter((t) => /_iam_(binding|policy)$/.test(t));
}

function deployerProjectGrants(project: string, members: string[]): string[] {
  return ["roles/run.admin", "roles/run.sourceDeveloper", "roles/logging.viewer"].flatMap((role) =>
    members.map((m) => `${project} ${role} ${m}`),
  );
}

describe("EnvironmentStack grants", () => {
  test("contains exactly run.builder and the deployers' project roles without a catalog", () => {
    const json = synth(new EnvironmentStack(Testing.app(), env(YAML), { catalog: false }));
    expect(projectGrants(json)).toEqual(
      [
        `acme-dev roles/run.builder ${COMPUTE_DEFAULT}`,
        ...deployerProjectGrants("acme-dev", [PLATFORM, CI]),
      ].sort(),
    );
    expect(accountGrants(json)).toEqual([]);
  });

  test("writes no _iam_binding or _iam_policy resource", () => {
    const json = synth(new EnvironmentStack(Testing.app(), env(YAML)));
    expect(authoritativeTypes(json)).toEqual([]);
  });

  test("grants deployers iam.serviceAccountUser on each account the catalog's workloads run as", () => {
    mockCatalog = (scope) => {
      for (const id of ["Api", "Report"]) {
        const w = new Construct(scope, id);
        const sa = new ServiceAccount(w, "ServiceAccount", { accountId: id.toLowerCase() });
        registerWorkload({
          kind: "service",
          construct: w,
          name: id.toLowerCase(),
          serviceAccountEmail: sa.email,
          dedicatedServiceAccount: true,
        });
      }
    };
    const json = synth(new EnvironmentStack(Testing.app(), env(YAML)));
    const accounts = Object.values(resources(json, "google_service_account"));
    expect(accounts).toHaveLength(2);
    const ids = Object.keys(resources(json, "google_service_account")).map(
      (id) => `projects/-/serviceAccounts/\${google_service_account.${id}.email}`,
    );
    expect(accountGrants(json)).toEqual(
      ids
        .flatMap((a) => [PLATFORM, CI].map((m) => `${a} roles/iam.serviceAccountUser ${m}`))
        .sort(),
    );
  });

  test("keeps project grants to run.builder and the deployer set when the catalog has workloads", () => {
    mockCatalog = (scope) => {
      const w = new Construct(scope, "Api");
      registerWorkload({
        kind: "service",
        construct: w,
        name: "api",
        serviceAccountEmail: "api@acme-dev.iam.gserviceaccount.com",
        dedicatedServiceAccount: false,
      });
    };
    const json = synth(new EnvironmentStack(Testing.app(), env(YAML)));
    expect(projectGrants(json)).toEqual(
      [
        `acme-dev roles/run.builder ${COMPUTE_DEFAULT}`,
        ...deployerProjectGrants("acme-dev", [PLATFORM, CI]),
      ].sort(),
    );
    expect(authoritativeTypes(json)).toEqual([]);
  });

  test("with the real catalog, grants the builder and deployer roles exactly, and deployers on every workload's account", () => {
    const stack = new EnvironmentStack(Testing.app(), env(YAML));
    const json = synth(stack);
    // The catalog's own project grants (e.g. an Eventarc receiver) are the constructs' business.
    const ours =
      /roles\/(run\.builder|run\.admin|run\.sourceDeveloper|logging\.viewer|iam\.serviceAccountUser) /;
    expect(projectGrants(json).filter((g) => ours.test(g))).toEqual(
      [
        `acme-dev roles/run.builder ${COMPUTE_DEFAULT}`,
        ...deployerProjectGrants("acme-dev", [PLATFORM, CI]),
      ].sort(),
    );
    const userGrants = Object.values(resources(json, "google_service_account_iam_member")).filter(
      (r) => r.role === "roles/iam.serviceAccountUser",
    );
    const accounts = new Set(identitiesOf(stack).map((w) => w.email));
    expect(userGrants).toHaveLength(accounts.size * 2);
  });

  test("grants run.builder to build.serviceAccount when the file names one", () => {
    const yaml =
      "project: acme-dev\nregion: us-central1\ntier: dev\n" +
      "build: { grantRunBuilder: true, serviceAccount: builder@acme-dev.iam.gserviceaccount.com }\n";
    const json = synth(new EnvironmentStack(Testing.app(), env(yaml), { catalog: false }));
    expect(projectGrants(json)).toEqual([
      "acme-dev roles/run.builder serviceAccount:builder@acme-dev.iam.gserviceaccount.com",
    ]);
    expect(json.data?.google_project).toBeUndefined();
  });

  test("grants no run.builder when build.grantRunBuilder is false", () => {
    const yaml = YAML.replace("grantRunBuilder: true", "grantRunBuilder: false");
    const json = synth(new EnvironmentStack(Testing.app(), env(yaml), { catalog: false }));
    expect(projectGrants(json).some((g) => g.includes("roles/run.builder"))).toBe(false);
  });

  test("grants nothing when the file has no deployers and no build grant", () => {
    const json = synth(new EnvironmentStack(Testing.app(), env(), { catalog: false }));
    expect(projectGrants(json)).toEqual([]);
    expect(accountGrants(json)).toEqual([]);
  });

  test.each(["dev", "staging", "prod"])(
    "environments/%s.yaml synthesizes its deployers' grants, additively",
    (name) => {
      const file = `environments/${name}.yaml`;
      const e = parseEnvironment(readFileSync(file, "utf8"), file);
      const json = synth(new EnvironmentStack(Testing.app(), e));
      const expected = deployerProjectGrants(e.project, [...e.deployers]);
      if (e.build.grantRunBuilder)
        expected.push(`${e.project} roles/run.builder ${COMPUTE_DEFAULT}`);
      expect(projectGrants(json)).toEqual(expect.arrayContaining(expected.sort()));
      expect(authoritativeTypes(json)).toEqual([]);
    },
  );
});
