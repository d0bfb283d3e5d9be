/** Bad-input cases of IamBinding and the grants; bad-input.test.ts runs them. */
import { IamBinding, grantDeployers, grantRunBuilder } from "@cdktf-cloud-run/constructs";
import { plainStack, synth } from "../helpers";
import type { Case } from "./cases";

export const iamCases: Case[] = [
  // --- iam ---
  {
    name: 'IamBinding member "bob@example.com" without a kind',
    build: () => {
      const stack = plainStack();
      new IamBinding(stack, "b", {
        target: { project: "acme-test" },
        role: "roles/viewer",
        members: ["bob@example.com"],
      });
      synth(stack);
    },
    expect: { code: "CR_IAM_MEMBER", prop: "members[0]", value: '"bob@example.com"' },
  },
  {
    name: 'IamBinding member "user:" with an empty email',
    build: () => {
      const stack = plainStack();
      new IamBinding(stack, "b", {
        target: { project: "acme-test" },
        role: "roles/viewer",
        members: ["group:ops@acme.example", "user:"],
      });
      synth(stack);
    },
    expect: { code: "CR_IAM_MEMBER", prop: "members[1]", value: '"user:"' },
  },
  {
    name: 'IamBinding role "run.invoker"',
    build: () => {
      const stack = plainStack();
      new IamBinding(stack, "b", {
        target: { project: "acme-test" },
        role: "run.invoker",
        members: ["user:bob@acme.example"],
      });
      synth(stack);
    },
    expect: { code: "CR_IAM_ROLE", prop: "role", value: '"run.invoker"' },
  },
  {
    name: "IamBinding target that is not a project id",
    build: () => {
      const stack = plainStack();
      new IamBinding(stack, "b", {
        target: { project: "Acme Test" },
        role: "roles/viewer",
        members: ["user:bob@acme.example"],
      });
      synth(stack);
    },
    expect: { code: "CR_IAM_TARGET", prop: "target", value: '{"project":"Acme Test"}' },
  },
  {
    name: "grantRunBuilder with a build account that is not an email",
    build: () => {
      const stack = plainStack();
      grantRunBuilder(stack, { buildServiceAccount: "builder" });
      synth(stack);
    },
    expect: { code: "CR_IAM_SERVICE_ACCOUNT", prop: "buildServiceAccount", value: '"builder"' },
  },
  {
    name: "grantDeployers with a member without a kind",
    build: () => {
      const stack = plainStack();
      grantDeployers(stack, ["platform@acme.example"]);
      synth(stack);
    },
    expect: { code: "CR_IAM_MEMBER", prop: "member", value: '"platform@acme.example"' },
  },

  // --- notDropped ---
  /**
   * Values that look harmless but would vanish from the output (or from the plan): each must fail
   * rather than synthesize without it.
   */
  {
    name: "authoritative IamBinding with no members",
    build: () => {
      const stack = plainStack();
      new IamBinding(stack, "b", {
        target: { project: "acme-test" },
        role: "roles/viewer",
        members: [],
        authoritative: true,
      });
      synth(stack);
    },
    expect: { code: "CR_IAM_NO_MEMBERS", prop: "members", value: "[]" },
  },

  // --- untyped ---
  /** Values of the wrong type, as a JavaScript caller or a parsed config could pass them. */
  {
    name: "IamBinding members that is a string, not a list",
    build: () => {
      const stack = plainStack();
      new IamBinding(stack, "b", {
        target: { project: "acme-test" },
        role: "roles/viewer",
        members: "user:bob@acme.example",
      } as unknown as ConstructorParameters<typeof IamBinding>[2]);
      synth(stack);
    },
    expect: { code: "CR_IAM_MEMBER", prop: "members", value: '"user:bob@acme.example"' },
  },

  // --- javascript ---
  /**
   * JavaScript callers and parsed files (issue 14): no compile-time types, so nulls inside lists
   * and maps, strings where lists or booleans belong and numbers Terraform cannot hold must fail
   * cleanly (once each, before any other rule reads them), never with a TypeError or as garbage.
   */
  {
    name: "IamBinding authoritative given as a string",
    build: () => {
      const stack = plainStack();
      new IamBinding(stack, "b", {
        target: { project: "acme-test" },
        role: "roles/viewer",
        members: ["user:a@acme.example"],
        authoritative: "yes" as unknown as boolean,
      });
    },
    expect: { code: "CR_PROP_TYPE", prop: "authoritative", value: '"yes"' },
  },
  {
    name: "IamBinding props that are null",
    build: () => {
      const stack = plainStack();
      new IamBinding(stack, "b", null as unknown as ConstructorParameters<typeof IamBinding>[2]);
    },
    expect: { code: "CR_PROP_TYPE", prop: "props", value: "null" },
  },
  {
    name: "grantDeployers with a string instead of a list",
    build: () => {
      const stack = plainStack();
      grantDeployers(stack, "group:deployers@acme.example" as unknown as string[]);
    },
    expect: { code: "CR_NOT_A_LIST", prop: "members", value: '"group:deployers@acme.example"' },
  },
  {
    name: "grantRunBuilder with a numeric build service account",
    build: () => {
      const stack = plainStack();
      grantRunBuilder(stack, { buildServiceAccount: 42 as unknown as string });
    },
    expect: { code: "CR_PROP_TYPE", prop: "options.buildServiceAccount", value: "42" },
  },
];
