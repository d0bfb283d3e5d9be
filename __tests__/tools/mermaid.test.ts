/**
 * The review's Mermaid picture (issue 16 item 5): only what changes, coloured by action, edges
 * between workloads, readable names. The text is checked against the flowchart grammar
 * (assertValidMermaid); render-diagram.test.ts renders a real review's diagram with mermaid-cli.
 */
import * as path from "path";
import { Testing } from "cdktf";
import { DIAGRAM_LEGEND, label, workloadDiagram } from "../../tools/private/mermaid";
import { Stacks, TfJson, compareStacks } from "../../tools/private/tf-diff";
import { readStacks } from "../../tools/private/worktree";
import { loadEnvironments, parseEnvironment } from "../../stacks/environment";
import { EnvironmentStack } from "../../stacks/environment-stack";
import * as fs from "fs";

const ROOT = path.resolve(__dirname, "..", "..");
const DIGEST = `sha256:${"a".repeat(64)}`;

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** A resource as cdktf writes it, with its construct path in "//" metadata. */
function res(constructPath: string, value: Record<string, unknown>): Record<string, unknown> {
  return { "//": { metadata: { path: constructPath } }, ...value };
}

function stack(resource: Resources): TfJson {
  return { provider: { google: [{ project: "acme-dev" }] }, resource };
}

/** dev: api (calls orders), orders, and a nightly report job run by a scheduler. */
function resources(): Resources {
  return {
    google_service_account: {
      api_ServiceAccount_567BB480: res("dev/api/ServiceAccount", { account_id: "api-run" }),
      orders_ServiceAccount_E77A0164: res("dev/orders/ServiceAccount", {
        account_id: "orders-run",
      }),
      report_ServiceAccount_35443930: res("dev/report/ServiceAccount", {
        account_id: "report-job",
      }),
      report_SchedulerServiceAccount_41458266: res("dev/report/SchedulerServiceAccount", {
        account_id: "report-sched",
      }),
    },
    google_cloud_run_v2_service: {
      api_C8550315: res("dev/api/Resource", {
        name: "api",
        location: "us-central1",
        template: {
          service_account: "${google_service_account.api_ServiceAccount_567BB480.email}",
          containers: [{ image: `api@${DIGEST}` }],
        },
      }),
      orders_46FA7C19: res("dev/orders/Resource", {
        name: "orders",
        location: "us-central1",
        template: {
          service_account: "${google_service_account.orders_ServiceAccount_E77A0164.email}",
          containers: [{ image: `orders@${DIGEST}` }],
        },
      }),
    },
    google_cloud_run_v2_job: {
      report_196970FB: res("dev/report/Resource", {
        name: "nightly-report",
        location: "us-central1",
        template: {
          template: {
            service_account: "${google_service_account.report_ServiceAccount_35443930.email}",
            containers: [{ image: `report@${DIGEST}` }],
          },
        },
      }),
    },
    google_cloud_run_v2_service_iam_member: {
      orders_invoker_DDA58DE4: res("dev/orders/roles-run.invoker/api", {
        name: "${google_cloud_run_v2_service.orders_46FA7C19.name}",
        role: "roles/run.invoker",
        member: "serviceAccount:${google_service_account.api_ServiceAccount_567BB480.email}",
      }),
    },
    google_cloud_scheduler_job: {
      report_Scheduler_734ECE31: res("dev/report/Scheduler", {
        name: "nightly-report-trigger",
        schedule: "0 3 * * *",
        time_zone: "Europe/Berlin",
        http_target: {
          uri: "https://run.googleapis.com/v2/projects/${google_cloud_run_v2_job.report_196970FB.project}/locations/us-central1/jobs/${google_cloud_run_v2_job.report_196970FB.name}:run",
        },
      }),
    },
    google_secret_manager_secret_iam_member: {
      Grants_secret_64751B66: res(
        "dev/Grants/secret:db/roles-secretmanager.secretAccessor/orders",
        {
          secret_id: "db-password",
          role: "roles/secretmanager.secretAccessor",
          member: "serviceAccount:${google_service_account.orders_ServiceAccount_E77A0164.email}",
        },
      ),
    },
  };
}

function changed(edit: (r: Resources) => void): Resources {
  const r = resources();
  edit(r);
  return r;
}

function diagram(base: Stacks, head: Stacks): string {
  const text = workloadDiagram(base, head, compareStacks(base, head));
  if (text === undefined) throw new Error("no diagram");
  assertValidMermaid(text);
  return text;
}

/** The node lines of a diagram, as `id:::class`. */
function nodes(text: string): string[] {
  return [...text.matchAll(/^ {2,4}(\w+)\[".*"\]:::(\w+)$/gm)].map((m) => `${m[1]}:::${m[2]}`);
}

/**
 * The flowchart subset workloadDiagram writes, checked line by line: a header, class
 * definitions, subgraphs closed by `end`, nodes with quoted labels free of raw quotes and
 * markup, edges between defined nodes, link styles for existing links, classes on subgraphs.
 */
function assertValidMermaid(text: string): void {
  const lines = text.split("\n");
  expect(lines[0]).toBe("flowchart LR");
  const defined = new Set<string>();
  const classes = new Set<string>();
  const subgraphs = new Set<string>();
  let depth = 0;
  let links = 0;
  const labelOk = (l: string) => !/["`<>]/.test(l.replace(/<br\/>/g, ""));
  for (const line of lines.slice(1)) {
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^ {2}classDef (\w+) [\w#:,.\- ]+$/))) classes.add(m[1]);
    else if ((m = line.match(/^ {2}subgraph (\w+)\["(.*)"\]$/))) {
      expect(depth).toBe(0);
      expect(labelOk(m[2])).toBe(true);
      subgraphs.add(m[1]);
      depth++;
    } else if (line === "  end") {
      expect(depth).toBe(1);
      depth--;
    } else if ((m = line.match(/^ {2,4}(\w+)\["(.*)"\]:::(\w+)$/))) {
      expect(labelOk(m[2])).toBe(true);
      expect(classes.has(m[3])).toBe(true);
      expect(defined.has(m[1])).toBe(false);
      defined.add(m[1]);
    } else if ((m = line.match(/^ {4}(\w+) (-->|==>|-\.->)\|(\w+)\| (\w+)$/))) {
      expect(defined.has(m[1]) && defined.has(m[4])).toBe(true);
      links++;
    } else if ((m = line.match(/^ {2}linkStyle (\d+) stroke:#[0-9a-f]{6}$/)))
      expect(Number(m[1])).toBeLessThan(links);
    else if ((m = line.match(/^ {2}class (\w+) (\w+)$/)))
      expect(subgraphs.has(m[1]) && classes.has(m[2])).toBe(true);
    else throw new Error(`not a line of the diagram grammar: ${JSON.stringify(line)}`);
  }
  expect(depth).toBe(0);
}

describe("workloadDiagram", () => {
  const base = { dev: stack(resources()), staging: stack(resources()) };

  test("is left out when nothing changes", () => {
    expect(workloadDiagram(base, base, compareStacks(base, base))).toBeUndefined();
  });

  test("shows only the workloads that change, and an unchanged stack as one line", () => {
    const head = {
      ...base,
      dev: stack(
        changed((r) => {
          (
            r.google_cloud_run_v2_job.report_196970FB.template as {
              template: { containers: object[] };
            }
          ).template.containers = [{ image: "report:v2" }];
        }),
      ),
    };
    const text = diagram(base, head);
    expect(nodes(text)).toEqual([
      "dev_job_nightly_report:::change",
      "dev_scheduler_report_Scheduler:::unchanged",
      "stack_staging:::unchanged",
    ]);
    expect(text).toContain('  stack_staging["staging: no changes"]:::unchanged');
    expect(text).not.toContain("orders");
  });

  test("colours workloads by action: add, change, replace, destroy", () => {
    const head = {
      ...base,
      dev: stack(
        changed((r) => {
          r.google_cloud_run_v2_service.orders_46FA7C19.location = "europe-west1"; // ForceNew
          delete r.google_cloud_run_v2_job.report_196970FB;
          delete r.google_cloud_scheduler_job;
          r.google_cloud_run_v2_worker_pool = {
            queue_7CADF821: res("dev/queue/Resource", { name: "queue", template: {} }),
          };
          r.google_secret_manager_secret_iam_member.Grants_secret_64751B66.secret_id =
            "db-password-2";
        }),
      ),
    };
    const text = diagram(base, head);
    expect(nodes(text)).toEqual(
      expect.arrayContaining([
        "dev_service_orders:::replace",
        "dev_job_nightly_report:::destroy",
        "dev_worker_pool_queue:::add",
        "dev_scheduler_report_Scheduler:::destroy",
      ]),
    );
    expect(text).toContain("    dev_scheduler_report_Scheduler -.->|run| dev_job_nightly_report");
    for (const cls of ["add", "change", "replace", "destroy", "unchanged"])
      expect(text).toMatch(new RegExp(`^ {2}classDef ${cls} fill:#`, "m"));
  });

  test("draws api → orders: invoke from a run.invoker grant to api's identity", () => {
    const before = { dev: stack(changed((r) => delete r.google_cloud_run_v2_service_iam_member)) };
    const text = diagram(before, { dev: stack(resources()) });
    expect(text).toContain("    dev_service_api ==>|invoke| dev_service_orders");
    expect(text).toMatch(/^ {2}linkStyle 0 stroke:#22863a$/m);
    // orders changes (a grant on it is added); api is drawn grey, for the edge.
    expect(nodes(text)).toEqual(["dev_service_orders:::change", "dev_service_api:::unchanged"]);
  });

  test("draws scheduler → nightly-report: run, with the schedule", () => {
    const before = { dev: stack(changed((r) => delete r.google_cloud_scheduler_job)) };
    const text = diagram(before, { dev: stack(resources()) });
    expect(text).toContain(
      '    dev_scheduler_report_Scheduler["scheduler<br/>0 3 * * * Europe/Berlin"]:::add',
    );
    expect(text).toContain("    dev_scheduler_report_Scheduler ==>|run| dev_job_nightly_report");
  });

  test("labels workloads with their names, identity and roles; no construct hash suffixes", () => {
    const head = {
      ...base,
      dev: stack(
        changed((r) => {
          r.google_cloud_run_v2_service.orders_46FA7C19.description = "changed";
        }),
      ),
    };
    const text = diagram(base, head);
    expect(text).toContain(
      '    dev_service_orders["service orders<br/>runs as orders-run<br/>roles/secretmanager.secretAccessor on secret db-password"]:::change',
    );
    expect(text).not.toMatch(/_[0-9A-F]{8}\b/);
  });

  test("changes not owned by a workload are one node", () => {
    const head = {
      ...base,
      dev: stack(
        changed((r) => {
          r.google_project_service = { run: { service: "run.googleapis.com" } };
        }),
      ),
    };
    expect(nodes(diagram(base, head))).toEqual(["dev_other:::add", "stack_staging:::unchanged"]);
  });

  test("escapes markup and quotes in names", () => {
    expect(label('a"b<script>`c`#1')).toBe("a#34;b#60;script#62;#96;c#96;#35;1");
    const head = {
      dev: stack(
        changed((r) => {
          r.google_cloud_run_v2_service.api_C8550315.name = 'x"]:::add\n<img>';
        }),
      ),
    };
    const text = diagram({ dev: stack(resources()) }, head);
    expect(text).toContain("service x#34;]:::add #60;img#62;<br/>runs as api-run");
  });

  test("has a legend for its colours", () => {
    expect(DIAGRAM_LEGEND).toMatch(
      /Green: added; yellow: changed; orange: replaced; red, dashed: destroyed/,
    );
  });
});

describe("a one-line change to prod.yaml, synthesized (issue 16: must show)", () => {
  let text: string;
  beforeAll(() => {
    const envDir = path.join(ROOT, "environments");
    const synthAll = (prodText?: string): Stacks => {
      const app = Testing.app();
      for (const env of loadEnvironments(envDir))
        new EnvironmentStack(
          app,
          env.name === "prod" && prodText ? parseEnvironment(prodText, env.file) : env,
        );
      app.synth();
      return readStacks(app.outdir);
    };
    const prod = fs.readFileSync(path.join(envDir, "prod.yaml"), "utf8");
    const edited = prod.replace(/^( {2}orders: .*@sha256:)[0-9a-f]{64}$/m, `$1${"b".repeat(64)}`);
    expect(edited).not.toBe(prod);
    const base = synthAll();
    const head = synthAll(edited);
    text = workloadDiagram(base, head, compareStacks(base, head))!;
  });

  test("holds prod only, with the changed workload highlighted", () => {
    assertValidMermaid(text);
    expect(text).toContain('  stack_dev["dev: no changes"]:::unchanged');
    expect(text).toContain('  stack_staging["staging: no changes"]:::unchanged');
    expect(text).toContain('  subgraph stack_prod["prod"]');
    expect(nodes(text).filter((n) => !n.endsWith(":::unchanged"))).toEqual([
      "prod_service_orders:::change",
    ]);
  });
});
