/** Bad-input cases of ArtifactRepository; bad-input.test.ts runs them. */
import { ArtifactRepository } from "@cdktf-cloud-run/constructs";
import { plainStack, synth } from "../helpers";
import { type Case } from "./cases";

export const artifactRepositoryCases: Case[] = [
  // --- names ---
  {
    name: "artifact repository name with uppercase and underscore",
    build: () => {
      const stack = plainStack();
      new ArtifactRepository(stack, "repo", { name: "Bad_Name" });
      synth(stack);
    },
    expect: { code: "CR_NAME", prop: "name", value: '"Bad_Name"' },
  },

  // --- labels ---
  {
    name: "label key on an artifact repository",
    build: () => {
      const stack = plainStack();
      new ArtifactRepository(stack, "repo", { labels: { Owner: "x" } });
      synth(stack);
    },
    expect: { code: "CR_LABEL_KEY", prop: "labels.Owner", value: '"Owner"' },
  },

  // --- images ---
  {
    name: "Docker Hub remote repository asked for a gcr.io image",
    build: () => {
      const stack = plainStack();
      new ArtifactRepository(stack, "hub", { remote: "docker-hub" }).image("gcr.io/acme/app:1");
      synth(stack);
    },
    expect: {
      code: "CR_AR_IMAGE_NOT_DOCKER_HUB",
      prop: "image(ref)",
      value: '"gcr.io/acme/app:1"',
    },
  },
  {
    name: "artifact repository keepVersions 0",
    build: () => {
      const stack = plainStack();
      new ArtifactRepository(stack, "repo", { keepVersions: 0 });
      synth(stack);
    },
    expect: { code: "CR_AR_KEEP_VERSIONS", prop: "keepVersions", value: "0" },
  },

  // --- javascript ---
  /**
   * JavaScript callers and parsed files (issue 14): no compile-time types, so nulls inside lists
   * and maps, strings where lists or booleans belong and numbers Terraform cannot hold must fail
   * cleanly (once each, before any other rule reads them), never with a TypeError or as garbage.
   */
  {
    name: "ArtifactRepository.image with a number",
    build: () => {
      const stack = plainStack();
      new ArtifactRepository(stack, "repo", {}).image(7 as unknown as string);
    },
    expect: { code: "CR_PROP_TYPE", prop: "image(ref)", value: "7" },
  },
  {
    name: "ArtifactRepository keepVersions 1e21 and a null label",
    build: () => {
      const stack = plainStack();
      new ArtifactRepository(stack, "repo", {
        keepVersions: 1e21,
        labels: { team: null as unknown as string },
      });
    },
    expect: [
      { code: "CR_PROP_TYPE", prop: "keepVersions", value: "1e+21" },
      { code: "CR_PROP_TYPE", prop: "labels.team", value: "null" },
    ],
  },
];
