/** Bad-input cases of WorkerPool; bad-input.test.ts runs them. */

import { type Case, IMAGE, pool, long, KMS_KEY } from "./cases";

export const workerPoolCases: Case[] = [
  // --- names ---
  {
    name: "worker pool name over 49 characters",
    build: () => pool({ name: long(50) }),
    expect: { code: "CR_NAME", prop: "name", value: `"${long(50)}"` },
  },

  // --- enums ---
  {
    name: 'vpc.egress "everything"',
    build: () => pool({ vpc: { network: "default", egress: "everything" } }),
    expect: { code: "CR_VPC_EGRESS", prop: "vpc.egress", value: '"everything"' },
  },

  // --- env ---
  {
    name: "env var in the X_GOOGLE_ namespace",
    build: () => pool({ env: { X_GOOGLE_TRACE: "1" } }),
    expect: { code: "CR_ENV_NAME", prop: "env.X_GOOGLE_TRACE", value: '"X_GOOGLE_TRACE"' },
  },

  // --- gpu ---
  {
    name: "nvidia-l4 GPU with 8Gi of memory",
    build: () => pool({ gpu: {}, cpu: 4, memory: "8Gi" }),
    expect: { code: "CR_GPU_MEMORY", prop: "memory", value: '"8Gi"' },
  },

  // --- volumes ---
  {
    name: "in-memory volume size that is not a quantity",
    build: () => pool({ volumes: { scratch: { type: "in-memory", sizeLimit: "lots" } } }),
    expect: { code: "CR_QUANTITY", prop: "volumes.scratch.sizeLimit", value: '"lots"' },
  },

  // --- labels ---
  {
    name: "label value with spaces and capitals",
    build: () => pool({ labels: { team: "Platform Team" } }),
    expect: { code: "CR_LABEL_VALUE", prop: "labels.team", value: '"Platform Team"' },
  },

  // --- images ---
  {
    name: "sidecar image with a scheme",
    build: () => pool({ sidecars: { proxy: { image: "https://gcr.io/x/y" } } }),
    expect: { code: "CR_IMAGE_REF", prop: "sidecars.proxy.image", value: '"https://gcr.io/x/y"' },
  },

  // --- pools ---
  {
    name: "worker pool instances -1",
    build: () => pool({ instances: -1 }),
    expect: { code: "CR_POOL_INSTANCES", prop: "instances", value: "-1" },
  },
  {
    name: "worker pool instances 1.5",
    build: () => pool({ instances: 1.5 }),
    expect: { code: "CR_POOL_INSTANCES", prop: "instances", value: "1.5" },
  },

  // --- notDropped ---
  /**
   * Values that look harmless but would vanish from the output (or from the plan): each must fail
   * rather than synthesize without it.
   */
  {
    name: "sidecar startup probe on a worker pool (the provider has no field for it)",
    build: () =>
      pool({ sidecars: { proxy: { image: IMAGE, startupProbe: { tcpSocket: { port: 9000 } } } } }),
    expect: { code: "CR_POOL_PROBE", prop: "sidecars.proxy.startupProbe", value: '"set"' },
  },
  {
    name: "a port on a worker pool",
    build: () => pool({ port: 9000 }),
    expect: { code: "CR_UNKNOWN_PROP", prop: "port", value: "9000" },
  },
  {
    name: "a startup probe on a worker pool's main container",
    build: () => pool({ startupProbe: { tcpSocket: { port: 8080 } } }),
    expect: {
      code: "CR_UNKNOWN_PROP",
      prop: "startupProbe",
      value: '{"tcpSocket":{"port":8080}}',
    },
  },

  // --- javascript ---
  /**
   * JavaScript callers and parsed files (issue 14): no compile-time types, so nulls inside lists
   * and maps, strings where lists or booleans belong and numbers Terraform cannot hold must fail
   * cleanly (once each, before any other rule reads them), never with a TypeError or as garbage.
   */
  {
    name: "worker pool instances 1e21",
    build: () => pool({ instances: 1e21 }),
    expect: { code: "CR_PROP_TYPE", prop: "instances", value: "1e+21" },
  },

  // --- parity ---
  {
    name: "encryptionKey in another region than the workload",
    build: () => pool({ encryptionKey: KMS_KEY.replace("us-central1", "europe-west1") }),
    expect: {
      code: "CR_ENCRYPTION_KEY_REGION",
      prop: "encryptionKey",
      value: JSON.stringify(KMS_KEY.replace("us-central1", "europe-west1")),
    },
  },
  {
    name: 'encryptionKeyRevocationAction "revoke"',
    build: () => pool({ encryptionKey: KMS_KEY, encryptionKeyRevocationAction: "revoke" }),
    expect: {
      code: "CR_ENCRYPTION_KEY_REVOCATION",
      prop: "encryptionKeyRevocationAction",
      value: '"revoke"',
    },
  },
  {
    name: 'encryptionKeyShutdownDuration "30m"',
    build: () =>
      pool({
        encryptionKey: KMS_KEY,
        encryptionKeyRevocationAction: "shut-down",
        encryptionKeyShutdownDuration: "30m",
      }),
    expect: {
      code: "CR_ENCRYPTION_KEY_REVOCATION",
      prop: "encryptionKeyShutdownDuration",
      value: '"30m"',
    },
  },
  {
    name: "vpc.connector on a worker pool",
    build: () => pool({ vpc: { connector: "run-egress" } }),
    expect: { code: "CR_VPC_CONNECTOR", prop: "vpc.connector", value: '"run-egress"' },
  },
];
