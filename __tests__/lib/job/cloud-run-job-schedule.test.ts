import { CloudRunJob, CloudRunJobProps } from "@cdktf-cloud-run/constructs";
import { cronProblem, timeZoneProblem } from "../../../lib/job/schedule";
import { only, plainStack, resources, synth } from "../../helpers";

const IMAGE = "us-docker.pkg.dev/acme-ci/apps/report@sha256:" + "b".repeat(64);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(props: Partial<CloudRunJobProps> = {}) {
  const stack = plainStack();
  const job = new CloudRunJob(stack, "report", {
    image: IMAGE,
    schedule: { cron: "0 3 * * *" },
    ...props,
  });
  return { stack, job, json: synth(stack) };
}

const jobId = (json: Json) => Object.keys(resources(json, "google_cloud_run_v2_job"))[0];
const schedulerAccountId = (json: Json) =>
  Object.entries(resources(json, "google_service_account")).find(
    ([, r]) => r.account_id === "report-sched",
  )![0];

describe("CloudRunJob schedule: the Cloud Scheduler job", () => {
  test("POSTs to the job's v2 :run URL built from the job's attributes", () => {
    const { json } = build();
    const s = only(json, "google_cloud_scheduler_job");
    const j = `google_cloud_run_v2_job.${jobId(json)}`;
    expect(s.http_target).toMatchObject({
      http_method: "POST",
      uri: `https://run.googleapis.com/v2/projects/\${${j}.project}/locations/\${${j}.location}/jobs/\${${j}.name}:run`,
    });
  });

  test("authenticates with an OAuth token of its own account, scope cloud-platform", () => {
    const { json } = build();
    expect((only(json, "google_cloud_scheduler_job") as Json).http_target.oauth_token).toEqual({
      service_account_email: `\${google_service_account.${schedulerAccountId(json)}.email}`,
      scope: "https://www.googleapis.com/auth/cloud-platform",
    });
    expect((only(json, "google_cloud_scheduler_job") as Json).http_target).not.toHaveProperty(
      "oidc_token",
    );
  });

  test("writes the cron expression, the job's region and a name derived from the job", () => {
    expect(
      only(build({ region: "europe-west1" }).json, "google_cloud_scheduler_job"),
    ).toMatchObject({
      name: "report-scheduler-trigger",
      region: "europe-west1",
      schedule: "0 3 * * *",
    });
  });

  test('time_zone defaults to "Etc/UTC", written explicitly', () => {
    expect(only(build().json, "google_cloud_scheduler_job").time_zone).toBe("Etc/UTC");
  });

  test("timeZone is written", () => {
    const { json } = build({ schedule: { cron: "30 2 * * *", timeZone: "Europe/Berlin" } });
    expect(only(json, "google_cloud_scheduler_job")).toMatchObject({
      schedule: "30 2 * * *",
      time_zone: "Europe/Berlin",
    });
  });

  test("writes the project when the job has one", () => {
    expect(only(build({ project: "acme-other" }).json, "google_cloud_scheduler_job").project).toBe(
      "acme-other",
    );
  });

  test("the scheduler account is dedicated and separate from the job's identity", () => {
    const { json } = build();
    const ids = Object.values(resources(json, "google_service_account")).map((r) => r.account_id);
    expect(ids.sort()).toEqual(["report-job", "report-sched"]);
  });

  test("the scheduler account gets roles/run.invoker on this job only", () => {
    const { json } = build();
    const grants = Object.values(resources(json, "google_cloud_run_v2_job_iam_member"));
    expect(grants).toEqual([
      {
        name: `\${google_cloud_run_v2_job.${jobId(json)}.name}`,
        location: `\${google_cloud_run_v2_job.${jobId(json)}.location}`,
        role: "roles/run.invoker",
        member: `serviceAccount:\${google_service_account.${schedulerAccountId(json)}.email}`,
      },
    ]);
    expect(resources(json, "google_project_iam_member")).toEqual({});
  });

  test("the grant's id comes from the construct path, not from token text", () => {
    const { json } = build();
    const [id] = Object.keys(resources(json, "google_cloud_run_v2_job_iam_member"));
    expect(id).toContain("test-report-scheduler");
  });

  test("the scheduler job depends on the grant", () => {
    const { json } = build();
    const [grant] = Object.keys(resources(json, "google_cloud_run_v2_job_iam_member"));
    const deps = only(json, "google_cloud_scheduler_job").depends_on as string[];
    expect(deps.some((d) => d.includes(`google_cloud_run_v2_job_iam_member.${grant}`))).toBe(true);
  });

  test("enables cloudscheduler.googleapis.com and waits for the APIs", () => {
    const { json } = build();
    const apis = Object.values(resources(json, "google_project_service")).map((r) => r.service);
    expect(apis).toContain("cloudscheduler.googleapis.com");
    const sleep = Object.keys(resources(json, "time_sleep"))[0];
    expect(only(json, "google_cloud_scheduler_job").depends_on).toContain(`time_sleep.${sleep}`);
  });

  test("exposes scheduler and schedulerServiceAccount", () => {
    const { job } = build();
    expect(job.scheduler?.terraformResourceType).toBe("google_cloud_scheduler_job");
    expect(job.schedulerServiceAccount?.terraformResourceType).toBe("google_service_account");
  });

  test("no schedule: no scheduler job, account or API", () => {
    const stack = plainStack();
    new CloudRunJob(stack, "report", { image: IMAGE });
    const json = synth(stack);
    expect(resources(json, "google_cloud_scheduler_job")).toEqual({});
    expect(Object.keys(resources(json, "google_service_account"))).toHaveLength(1);
    const apis = Object.values(resources(json, "google_project_service")).map((r) => r.service);
    expect(apis).not.toContain("cloudscheduler.googleapis.com");
  });
});

describe("CloudRunJob schedule: cron validation", () => {
  test.each([
    "0 3 * * *",
    "*/15 9-17 * * MON-FRI",
    "0 0 1,15 JAN,JUL 7",
    "30 2 * * sun",
    "0-30/10 */2 1-7 * 1-5",
    "59 23 31 12 6",
    "5/10 * * * *",
  ])("%p is accepted", (cron) => {
    expect(cronProblem(cron)).toBeUndefined();
  });

  test.each([
    ["* * * *", /5 fields .* this one has 4/],
    ["0 3 * * * *", /this one has 6/],
    ["", /this one has 0/],
    ["60 * * * *", /the minute field "60" has "60", which is not in 0–59/],
    ["0 24 * * *", /the hour field "24" has "24", which is not in 0–23/],
    ["0 0 0 * *", /the day of month field "0" has "0", which is not in 1–31/],
    ["0 0 * 13 *", /the month field "13" has "13", which is not in 1–12 or JAN–DEC/],
    ["0 0 * * 8", /the day of week field "8" has "8", which is not in 0–6 \(7 is also Sunday\)/],
    ["*/0 * * * *", /has the step "\/0"/],
    ["*/61 * * * *", /has the step "\/61"/],
    ["5-1 * * * *", /has the range "5-1", which runs backwards/],
    ["0 0 L * *", /has "L"/],
    ["0 0 * FOO *", /has "FOO"/],
    ["0 0 * * MON,,TUE", /has an empty list item/],
    ["1-2-3 * * * *", /malformed range/],
    ["*/5/2 * * * *", /more than one "\/"/],
  ])("%p is rejected", (cron, why) => {
    expect(cronProblem(cron)).toMatch(why);
  });

  test("a bad cron is rejected with code, path, prop, value and an example", () => {
    expect(() => build({ schedule: { cron: "0 24 * * *" } })).toThrow(
      'CR_JOB_CRON: [test/report] schedule.cron is "0 24 * * *"; the hour field "24" has "24", which is not in 0–23; Cloud Scheduler takes unix-cron: minute hour day-of-month month day-of-week. Fix schedule.cron, e.g. "0 3 * * *" for 03:00 every day.',
    );
  });

  test("extra spaces in the cron expression are normalized", () => {
    const { json } = build({ schedule: { cron: " 0  3 * * * " } });
    expect(only(json, "google_cloud_scheduler_job").schedule).toBe("0 3 * * *");
  });
});

describe("CloudRunJob schedule: time zone validation", () => {
  test.each(["UTC", "Etc/UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Asia/Kolkata"])(
    "%p is accepted",
    (tz) => {
      expect(timeZoneProblem(tz)).toBeUndefined();
    },
  );

  test.each([
    ["Mars/Olympus", /"Mars\/Olympus" is not one/],
    ["+01:00", /an IANA tz database name/],
    ["Europe Berlin", /an IANA tz database name/],
    ["europe/berlin", /case-sensitive; write "Europe\/Berlin"/],
  ])("%p is rejected", (tz, why) => {
    expect(timeZoneProblem(tz)).toMatch(why);
  });

  test("a bad time zone is rejected with code, path, prop and value", () => {
    expect(() => build({ schedule: { cron: "0 3 * * *", timeZone: "Mars/Olympus" } })).toThrow(
      'CR_JOB_TIME_ZONE: [test/report] schedule.timeZone is "Mars/Olympus"; a time zone is an IANA tz database name',
    );
  });
});
