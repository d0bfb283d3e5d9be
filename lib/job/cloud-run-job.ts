import { Construct } from "constructs";
import { TerraformResource } from "cdktf";
import {
  CloudRunV2Job,
  CloudRunV2JobTemplateTemplateContainers,
  CloudRunV2JobTemplateTemplateVolumes,
} from "@cdktf/provider-google/lib/cloud-run-v2-job";
import { CloudSchedulerJob } from "@cdktf/provider-google/lib/cloud-scheduler-job";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { IamBinding } from "../iam/iam-binding";
import { ProjectApis } from "../apis/project-apis";
import { Finding, probeProblems } from "../workload/container-rules";
import { jobErrors } from "./errors";
import { cronProblem, timeZoneProblem } from "./schedule";
import { requireFeature } from "../workload/prerequisites";
import { registerIdentity } from "../core/registry";
import { defined, Duration, isUnresolved, parseDuration, toApiDuration } from "../core/values";
import { Workload, accountId } from "../workload/workload";
import { assertArg } from "../core/prop-types";
import { Probe, WorkloadProps } from "../workload/workload-props";

/** When Cloud Scheduler runs the job (`gcloud scheduler jobs create http … --schedule --time-zone`). */
export interface JobSchedule {
  /** unix-cron with 5 fields: minute hour day-of-month month day-of-week, e.g. `"0 3 * * *"`. */
  readonly cron: string;
  /**
   * IANA time zone the cron expression is read in (`"Europe/Berlin"`).
   * @default "Etc/UTC" - written explicitly
   */
  readonly timeZone?: string | undefined;
}

/** Props of `CloudRunJob`: the shared workload props plus the `gcloud run jobs create` flags. */
export interface CloudRunJobProps extends WorkloadProps {
  /**
   * Tasks per execution (`--tasks`), 1–10,000; each gets `CLOUD_RUN_TASK_INDEX`.
   * @default 1
   */
  readonly tasks?: number | undefined;
  /**
   * Tasks that may run at once (`--parallelism`): 0 or at most `tasks`.
   * @default - not written: Google runs as many at once as quota allows (0)
   */
  readonly parallelism?: number | undefined;
  /**
   * Retries per failed task (`--max-retries`), 0–10.
   * @default 3 - written explicitly
   */
  readonly maxRetries?: number | undefined;
  /**
   * Timeout of each task attempt (`--task-timeout`): `"2s"`, `"10m"`, `"1h30m"` or seconds; at
   * most 168h, and at most 1h with a GPU.
   * @default "600s" - written explicitly
   */
  readonly taskTimeout?: Duration | undefined;
  /** Startup probe of the main container (jobs have no liveness probes). @default - none */
  readonly startupProbe?: Probe | undefined;
  /**
   * Runs the job on a schedule: a Cloud Scheduler job POSTs to the job's `:run` URL with an OAuth
   * token of its own service account, which gets `roles/run.invoker` on this job only.
   * @default - no schedule
   */
  readonly schedule?: JobSchedule | undefined;
}

/** The props a job has beyond `WorkloadProps` (the compiler keeps the list complete). */
const JOB_PROP_KEYS: Record<Exclude<keyof CloudRunJobProps, keyof WorkloadProps>, true> = {
  tasks: true,
  parallelism: true,
  maxRetries: true,
  taskTimeout: true,
  startupProbe: true,
  schedule: true,
};

const TASK_TIMEOUT_MAX = 168 * 3600;
const TASK_TIMEOUT_MAX_GPU = 3600;
const RUN_ROLE = "roles/run.invoker";
const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

/**
 * A Cloud Run job (`google_cloud_run_v2_job`): containers that run to completion, `tasks` at a
 * time, optionally on a schedule.
 *
 * ```ts
 * new CloudRunJob(this, "report", {
 *   image: "us-docker.pkg.dev/cloudrun/container/job", tasks: 50, maxRetries: 1, taskTimeout: "2s", parallelism: 5,
 * });
 * ```
 */
export class CloudRunJob extends Workload {
  /** The `google_cloud_run_v2_job`. */
  public readonly resource: CloudRunV2Job;
  public readonly tasks: number;
  public readonly maxRetries: number;
  /** Task timeout in seconds. */
  public readonly taskTimeoutSeconds: number;
  /** The Cloud Scheduler job, when `schedule` is set. */
  public readonly scheduler?: CloudSchedulerJob | undefined;
  /** The scheduler's own identity, when `schedule` is set. */
  public readonly schedulerServiceAccount?: ServiceAccount | undefined;
  private readonly props: CloudRunJobProps;

  constructor(scope: Construct, id: string, props: CloudRunJobProps) {
    super(scope, id, "job", props);
    this.props = props;
    this.rejectUnknownProps(props, Object.keys(JOB_PROP_KEYS));
    this.tasks = props.tasks ?? 1;
    this.maxRetries = props.maxRetries ?? 3;
    this.taskTimeoutSeconds = this.validateJobProps(props);

    this.resource = new CloudRunV2Job(
      this,
      "Resource",
      defined({
        name: this.name,
        location: this.region,
        project: props.project,
        deletionProtection: this.deletionProtection,
        labels: props.labels ? { ...props.labels } : undefined,
        template: defined({
          taskCount: this.tasks,
          parallelism: props.parallelism,
          template: defined({
            serviceAccount: this.serviceAccountEmail,
            maxRetries: this.maxRetries,
            timeout: toApiDuration(this.taskTimeoutSeconds),
            containers: this.mapContainers(
              { startupProbes: true },
              props.startupProbe,
            ) as unknown as CloudRunV2JobTemplateTemplateContainers[],
            volumes: this.mapVolumes() as CloudRunV2JobTemplateTemplateVolumes[] | undefined,
            vpcAccess: this.mapVpcAccess(),
            nodeSelector: this.mapNodeSelector() as { accelerator: string } | undefined,
            // Jobs support only non-zonal GPU redundancy.
            gpuZonalRedundancyDisabled: props.gpu ? true : undefined,
            encryptionKey: props.encryptionKey,
          }),
        }),
        lifecycle: this.jobIgnores(),
      }),
    );
    this.finishResource(this.resource);

    if (props.schedule) {
      const { scheduler, account } = this.addSchedule(props.schedule);
      this.scheduler = scheduler;
      this.schedulerServiceAccount = account;
    }
  }

  /**
   * Lets `member` run this job (`roles/run.invoker`, which holds `run.jobs.run`): additive and
   * idempotent. `member` is `user:…`, `group:…`, `serviceAccount:…`, or another workload, whose
   * identity is granted. Returns the `google_cloud_run_v2_job_iam_member`.
   */
  grantRun(member: string | Workload): TerraformResource {
    if (typeof member === "string") return IamBinding.grant(this, RUN_ROLE, member);
    // JavaScript callers: anything else but a workload is a member of the wrong type.
    if (!(member instanceof Workload)) assertArg(this, "member", member, "string", true);
    return IamBinding.grant(
      this,
      RUN_ROLE,
      member.serviceAccountMember,
      undefined,
      member.identityId(),
    );
  }

  /** Single-prop checks of the job props; returns the task timeout in seconds. */
  private validateJobProps(props: CloudRunJobProps): number {
    const p = this.problems;
    const whole = (v: number) => typeof v === "number" && Number.isInteger(v);
    if (!isUnresolved(this.tasks) && (!whole(this.tasks) || this.tasks < 1 || this.tasks > 10000))
      p.add(jobErrors.tasks(this, this.tasks));
    const par = props.parallelism;
    if (par !== undefined && !isUnresolved(par) && (!whole(par) || par < 0))
      p.add(jobErrors.parallelism(this, par));
    const retries = this.maxRetries;
    if (!isUnresolved(retries) && (!whole(retries) || retries < 0 || retries > 10))
      p.add(jobErrors.maxRetries(this, retries));

    let timeout = 600;
    if (props.taskTimeout !== undefined) {
      const seconds = parseDuration(props.taskTimeout);
      if (seconds === undefined) p.add(jobErrors.taskTimeoutFormat(this, props.taskTimeout));
      else if (seconds <= 0 || seconds > TASK_TIMEOUT_MAX)
        p.add(jobErrors.taskTimeout(this, props.taskTimeout));
      else timeout = seconds;
    }
    if (props.gpu?.zonalRedundancy === true)
      p.add(jobErrors.gpuZonalRedundancy(this, props.gpu.zonalRedundancy));
    if (props.startupProbe)
      for (const x of probeProblems(this, "startupProbe", props.startupProbe, "startup")) p.add(x);
    if (props.schedule) {
      const { cron, timeZone } = props.schedule;
      const cronWhy = isUnresolved(cron) ? undefined : cronProblem(cron);
      if (cronWhy) p.add(jobErrors.cron(this, cron, cronWhy));
      const tzWhy =
        timeZone === undefined || isUnresolved(timeZone) ? undefined : timeZoneProblem(timeZone);
      if (tzWhy) p.add(jobErrors.timeZone(this, timeZone, tzWhy));
    }
    return timeout;
  }

  protected override kindProblems(): Finding[] {
    const out: Finding[] = [];
    const par = this.props.parallelism;
    if (
      par !== undefined &&
      !isUnresolved(par) &&
      !isUnresolved(this.tasks) &&
      Number.isInteger(par) &&
      par > this.tasks
    )
      out.push({ problem: jobErrors.parallelismAboveTasks(this, par, this.tasks) });
    if (this.props.gpu && this.taskTimeoutSeconds > TASK_TIMEOUT_MAX_GPU)
      out.push({ problem: jobErrors.taskTimeoutGpu(this, this.props.taskTimeout) });
    return out;
  }

  /** `imageManagedBy: "external"`: jobs have no `template.revision`, so it is not ignored. */
  private jobIgnores(): { ignoreChanges: string[] } | undefined {
    const ignores = this.externalImageIgnores("template[0].template[0]", "template[0]").filter(
      (path) => path !== "template[0].revision",
    );
    return ignores.length > 0 ? { ignoreChanges: ignores } : undefined;
  }

  /**
   * Cloud Scheduler job → `POST https://run.googleapis.com/v2/projects/P/locations/R/jobs/J:run`
   * with an OAuth token (scope cloud-platform) of a dedicated account that may run this job only.
   */
  private addSchedule(schedule: JobSchedule): {
    scheduler: CloudSchedulerJob;
    account: ServiceAccount;
  } {
    const account = new ServiceAccount(
      this,
      "SchedulerServiceAccount",
      defined({
        accountId: accountId(this.name, "sched"),
        displayName: `Cloud Scheduler trigger of job ${this.name}`,
        description: `Runs the Cloud Run job ${this.name} on its schedule (managed by cdktf-cloud-run)`,
        project: this.props.project,
      }),
    );
    ProjectApis.of(this).dependOn(account);
    registerIdentity({ construct: this, email: account.email });
    const r = this.resource;
    const scheduler = new CloudSchedulerJob(
      this,
      "Scheduler",
      defined({
        name: `${this.name}-scheduler-trigger`,
        description: `Runs the Cloud Run job ${this.name} (managed by cdktf-cloud-run)`,
        region: this.region,
        project: this.props.project,
        schedule: schedule.cron.trim().replace(/\s+/g, " "),
        timeZone: schedule.timeZone ?? "Etc/UTC",
        httpTarget: {
          httpMethod: "POST",
          uri: `https://run.googleapis.com/v2/projects/${r.project}/locations/${r.location}/jobs/${r.name}:run`,
          oauthToken: { serviceAccountEmail: account.email, scope: CLOUD_PLATFORM_SCOPE },
        },
      }),
    );
    // The API, the account's run.invoker on this job, and the wait: the prerequisites table.
    requireFeature(
      "scheduler",
      {
        scope: this,
        project: this.props.project,
        workload: this,
        trigger: {
          member: `serviceAccount:${account.email}`,
          memberId: `${this.node.path.replace(/\//g, "-")}-scheduler`,
        },
      },
      scheduler,
    );
    return { scheduler, account };
  }
}
