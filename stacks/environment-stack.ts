import { Construct } from "constructs";
import { GcsBackend, LocalBackend, TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { ProjectApis } from "@cdktf-cloud-run/constructs";
import { grantDeployers, grantRunBuilder } from "@cdktf-cloud-run/constructs";
import { StackDefaults } from "@cdktf-cloud-run/constructs";
import { Checks, escapeLiterals } from "@cdktf-cloud-run/constructs";
import { Environment } from "./environment";
import { defineWorkloads } from "./workloads";

export interface EnvironmentStackOptions {
  /**
   * Adds the workload catalog (`stacks/workloads.ts`).
   * @default true
   */
  readonly catalog?: boolean;
}

/**
 * One stack per environment file: the Google provider (project and region from the file), the
 * GCS backend, the APIs, the grants and the workload catalog. Environments share plain values
 * (image references from the file), never cross-stack references.
 */
export class EnvironmentStack extends TerraformStack {
  public readonly environment: Environment;
  public readonly apis: ProjectApis;

  constructor(scope: Construct, env: Environment, options: EnvironmentStackOptions = {}) {
    super(scope, env.name);
    this.environment = env;
    // Labels and the backend come from the environment file: written as literals, like all else.
    escapeLiterals(this);
    StackDefaults.set(this, {
      project: env.project,
      region: env.region,
      tier: env.tier,
      allowPublic: env.allowPublic,
      environment: env.name,
      build: env.build,
    });

    const provider = new GoogleProvider(this, "google", {
      project: env.project,
      region: env.region,
    });
    // Written raw: cdktf snake_cases provider map keys, which would turn "managed-by" into "managed_by".
    provider.addOverride("default_labels", {
      environment: env.name,
      "managed-by": "cdktf-cloud-run",
      ...env.labels,
    });

    if (env.state) {
      new GcsBackend(this, { bucket: env.state.bucket, prefix: env.state.prefix });
    } else {
      // parseEnvironment already refuses this for staging and prod; kept for hand-built Environments.
      if (env.tier !== "dev")
        throw new Error(`${env.file}: state is required for tier ${env.tier}`);
      new LocalBackend(this, { path: `terraform.${env.name}.tfstate` });
    }

    this.apis = ProjectApis.of(this);
    this.apis.enableAll(env.apis);
    if (env.build.grantRunBuilder) {
      grantRunBuilder(this, { buildServiceAccount: env.build.serviceAccount });
    }

    if (options.catalog ?? true) defineWorkloads(this, env);
    // After the catalog: deployers get iam.serviceAccountUser on each workload's account.
    grantDeployers(this, env.deployers);
    Checks.apply(this);
  }
}
