/**
 * `CloudRunService.onEvent`: an Eventarc trigger that delivers events to the service, with a
 * dedicated identity of its own. What each event source needs (APIs, the trigger identity's
 * `roles/run.invoker` on this service and `roles/eventarc.eventReceiver`, the Cloud Storage
 * service agent's `roles/pubsub.publisher`) is a row of the prerequisites table.
 */
import { Construct } from "constructs";
import { EventarcTrigger } from "@cdktf/provider-google/lib/eventarc-trigger";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { IGrantable } from "../iam/iam-binding";
import { ProjectApis } from "../apis/project-apis";
import { Problems } from "../core/errors";
import { serviceErrors } from "./errors";
import { registerIdentity } from "../core/registry";
import { eventarcFeature, requireFeature } from "../workload/prerequisites";
import { defined, isUnresolved } from "../core/values";
import { EVENT_TRIGGER_TYPE, assertArg } from "../core/prop-types";
import { accountId } from "../workload/workload";

/** Options of `CloudRunService.onEvent`. */
export interface EventTriggerOptions {
  /** CloudEvents type, e.g. `"google.cloud.storage.object.v1.finalized"`. */
  readonly eventType: string;
  /**
   * Further matching criteria, `{ attribute: value }` (e.g. `{ bucket: "acme-uploads" }`).
   * @default - none: every event of `eventType`
   */
  readonly filters?: Readonly<Record<string, string>> | undefined;
  /**
   * URL path on the service the events are POSTed to.
   * @default - the service root, "/"
   */
  readonly path?: string | undefined;
  /**
   * Email of an existing account the trigger uses; it still gets `roles/run.invoker` on the
   * service and `roles/eventarc.eventReceiver` on the project.
   * @default - a dedicated service account is created for the trigger
   */
  readonly serviceAccount?: string | undefined;
}

/** The service an event trigger calls. */
export interface EventTarget extends IGrantable {
  readonly name: string;
  readonly region: string;
  /** @default - the provider's project */
  readonly project?: string | undefined;
}

/** Wiring only the service knows. */
export interface EventWiring {
  /** The service's name attribute (a reference, so the trigger waits for the service). */
  readonly serviceName: string;
  /**
   * The project given to the service (`undefined`: the provider's).
   * @default - the provider's project
   */
  readonly project?: string | undefined;
}

const ID = /^[A-Za-z][A-Za-z0-9-]{0,39}$/;
const ATTRIBUTE = /^[a-z][a-z0-9]*$/;

export function createEventTrigger(
  service: Construct & EventTarget,
  id: string,
  options: EventTriggerOptions,
  wiring: EventWiring,
): EventarcTrigger {
  const scope = new Construct(service, `Event-${id}`);
  assertArg(scope, "options", options, EVENT_TRIGGER_TYPE, true);
  const problems = new Problems(scope);
  if (!ID.test(id)) problems.add(serviceErrors.eventId(scope, id));
  const type = options.eventType;
  if (
    typeof type !== "string" ||
    (!isUnresolved(type) && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(type))
  )
    problems.add(serviceErrors.eventType(scope, "eventType", type));
  for (const [attribute, value] of Object.entries(options.filters ?? {})) {
    if (
      !ATTRIBUTE.test(attribute) ||
      attribute === "type" ||
      typeof value !== "string" ||
      value === ""
    )
      problems.add(serviceErrors.eventFilter(scope, `filters.${attribute}`, value));
  }
  if (options.path !== undefined && !isUnresolved(options.path) && !options.path.startsWith("/"))
    problems.add(serviceErrors.eventPath(scope, options.path));
  problems.throwIfAny();

  const slug = id.toLowerCase();
  let email = options.serviceAccount;
  let account: ServiceAccount | undefined;
  if (!email) {
    account = new ServiceAccount(
      scope,
      "ServiceAccount",
      defined({
        accountId: accountId(`${service.name}-${slug}`, "ev"),
        displayName: `Eventarc trigger ${slug} of ${service.name}`,
        description: `Identity of the Eventarc trigger ${slug} that calls the Cloud Run service ${service.name} (managed by cdktf-cloud-run)`,
        project: wiring.project,
      }),
    );
    email = account.email;
    registerIdentity({ construct: scope, email });
  }
  const member = `serviceAccount:${email}`;

  const trigger = new EventarcTrigger(
    scope,
    "Trigger",
    defined({
      name: triggerName(service.name, slug),
      location: service.region,
      project: wiring.project,
      serviceAccount: email,
      matchingCriteria: [
        { attribute: "type", value: type },
        ...Object.entries(options.filters ?? {}).map(([attribute, value]) => ({
          attribute,
          value,
        })),
      ],
      destination: {
        cloudRunService: defined({
          service: wiring.serviceName,
          region: service.region,
          path: options.path,
        }),
      },
    }),
  );
  // APIs, the trigger's (and, for Cloud Storage, the storage agent's) roles and the trigger's
  // wait for them, by event source: the prerequisites table.
  requireFeature(
    eventarcFeature(type),
    {
      scope: service,
      project: wiring.project,
      workload: service,
      trigger: { member },
    },
    trigger,
  );
  if (account) ProjectApis.of(service).dependOn(account);
  return trigger;
}

/** `<service>-<id>`, at most 63 characters. */
function triggerName(service: string, id: string): string {
  const name = `${service}-${id}`;
  return name.length <= 63 ? name : name.slice(0, 63).replace(/-+$/, "");
}
