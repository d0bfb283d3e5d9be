/**
 * The ForceNew table (tools/private/force-new.ts): one test per resource type the project can
 * emit, a replacing field and an in-place one each, and review marking the replacement.
 */
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { loadEnvironments } from "../../stacks/environment";
import { EnvironmentStack } from "../../stacks/environment-stack";
import {
  FORCE_NEW,
  IAM_PARENTS,
  forceNewFields,
  forceNewPaths,
} from "../../tools/private/force-new";
import { compareStack } from "../../tools/private/tf-diff";

/** [type, a change that replaces, a change made in place]. */
const CASES: ReadonlyArray<[string, string, string]> = [
  ["google_cloud_run_v2_service", "location", "template[0].containers[0].image"],
  ["google_cloud_run_v2_job", "name", "template[0].task_count"],
  ["google_cloud_run_v2_worker_pool", "project", "scaling[0].manual_instance_count"],
  ["google_cloud_scheduler_job", "region", "schedule"],
  ["google_eventarc_trigger", "matching_criteria[1].value", "service_account"],
  ["google_artifact_registry_repository", "location", "cleanup_policies[0].action"],
  [
    "google_artifact_registry_repository",
    "remote_repository_config[0].docker_repository[0].public_repository",
    "description",
  ],
  ["google_storage_bucket", "location", "versioning[0].enabled"],
  ["google_storage_bucket_object", "name", "detect_md5hash"],
  ["google_project_service", "service", "disable_on_destroy"],
  ["google_service_account", "account_id", "display_name"],
  [
    "google_cloudfunctions2_function",
    "build_config[0].source[0].repo_source[0].project_id",
    "build_config[0].entry_point",
  ],
  ["time_sleep", "triggers.apis", "create_duration"],
  ["google_cloud_run_v2_service_iam_member", "member", "depends_on"],
  ["google_cloud_run_v2_job_iam_member", "name", "depends_on"],
  ["google_cloud_run_v2_worker_pool_iam_member", "location", "depends_on"],
  ["google_secret_manager_secret_iam_member", "secret_id", "depends_on"],
  ["google_pubsub_subscription_iam_member", "subscription", "depends_on"],
  ["google_artifact_registry_repository_iam_member", "repository", "depends_on"],
  ["google_project_iam_member", "role", "depends_on"],
  ["google_service_account_iam_member", "service_account_id", "depends_on"],
  ["google_storage_bucket_iam_member", "bucket", "depends_on"],
  ["google_kms_crypto_key_iam_member", "crypto_key_id", "depends_on"],
  ["google_project_iam_binding", "role", "members"],
  ["google_cloud_run_v2_service_iam_binding", "name", "members"],
];

describe("ForceNew facts per resource type", () => {
  test.each(CASES)("%s: %s replaces, %s does not", (type, replacing, inPlace) => {
    expect(forceNewPaths(type, [replacing, inPlace])).toEqual([replacing]);
  });

  test("every type in the table has a case", () => {
    const covered = new Set(CASES.map(([t]) => t));
    for (const type of Object.keys(FORCE_NEW)) expect(covered).toContain(type);
    for (const parent of Object.keys(IAM_PARENTS))
      expect(covered).toContain(`${parent}_iam_member`);
  });

  test("every resource type the shipped stacks emit is in the table", () => {
    const types = new Set(
      loadEnvironments(path.join(__dirname, "../../environments")).flatMap((env) => {
        const json = JSON.parse(Testing.synth(new EnvironmentStack(Testing.app(), env))) as {
          resource?: Record<string, unknown>;
        };
        return Object.keys(json.resource ?? {});
      }),
    );
    expect(types.size).toBeGreaterThan(10);
    for (const type of types)
      expect([type, forceNewFields(type)]).toEqual([type, expect.any(Array)]);
  });

  test("every resource class the project imports from the providers is in the table", () => {
    // Deep imports name the resource: @cdktf/provider-google/lib/cloud-run-v2-service is
    // google_cloud_run_v2_service; data sources and the provider classes write no resource.
    const root = path.join(__dirname, "..", "..");
    const modules = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, e.name);
        if (e.isDirectory() && e.name !== "node_modules" && e.name !== "dist") walk(file);
        else if (e.name.endsWith(".ts")) {
          const text = fs.readFileSync(file, "utf8");
          for (const m of text.matchAll(/@cdktf\/provider-(google|time)\/lib\/([a-z0-9-]+)/g))
            modules.add(`${m[1]}_${m[2].replace(/-/g, "_")}`);
        }
      }
    };
    for (const dir of ["lib", "stacks", "tools"]) walk(path.join(root, dir));
    const types = [...modules].filter((t) => !/^(google|time)_(data_|provider$)/.test(t));
    expect(types).toContain("google_cloud_run_v2_service");
    for (const type of types)
      expect([type, forceNewFields(type)]).toEqual([type, expect.any(Array)]);
  });

  test("a binding's members change in place; role and target replace", () => {
    expect(forceNewFields("google_secret_manager_secret_iam_binding")).toEqual([
      "condition",
      "role",
      "project",
      "secret_id",
    ]);
  });

  test("an IAM member of an unknown target replaces on any argument", () => {
    expect(forceNewPaths("google_pubsub_topic_iam_member", ["topic", "role"])).toEqual([
      "topic",
      "role",
    ]);
  });

  test("an unknown resource type is updated in place", () => {
    expect(forceNewPaths("google_compute_network", ["name"])).toEqual([]);
  });
});

describe("review marks the replacement", () => {
  test("moving the Docker Hub remote repository to another region replaces it", () => {
    const repo = (location: string) => ({
      resource: {
        google_artifact_registry_repository: {
          "docker-hub_Resource_1": {
            repository_id: "docker-hub",
            location,
            format: "DOCKER",
            mode: "REMOTE_REPOSITORY",
          },
        },
      },
    });
    const [change] = compareStack("staging", repo("us-central1"), repo("europe-west1")).resources;
    expect(change.action).toBe("replace");
    expect(change.replacePaths).toEqual(["location"]);
  });
});
