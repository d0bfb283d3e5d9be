import type { Rule, RuleFinding } from "../rule";
import { deployedImages, isWorkload } from "../terraform-config";

const REMOTE =
  'Create an Artifact Registry remote repository for it (new ArtifactRepository(this, "hub", { remote: "docker-hub" }) for Docker Hub) and deploy repo.image("…")';

/**
 * An image pulled from outside Artifact Registry: Docker Hub (rate limits, no Google SLA, no
 * vulnerability scanning), Container Registry (`gcr.io`, shut down), or another registry (Cloud
 * Run pulls only from Artifact Registry and Docker Hub).
 */
export const imageRegistry: Rule = {
  id: "CHECK_IMAGE_REGISTRY",
  severity: "warning",
  explanation:
    "Cloud Run deploys from Artifact Registry and Docker Hub only. Docker Hub pulls are rate-limited and outside Google's SLA and scanning; Container Registry (gcr.io) is shut down. The Cloud Run docs advise an Artifact Registry remote repository in front of any other registry.",
  fix: 'Deploy from REGION-docker.pkg.dev; proxy Docker Hub or another registry through an ArtifactRepository with remote: "docker-hub" (or a remote repository of your own).',
  appliesTo: isWorkload,
  check(r) {
    return deployedImages(r).flatMap(({ prop, image, ref }): RuleFinding[] => {
      if (ref.isArtifactRegistry) return [];
      const { registry } = ref;
      if (ref.isDockerHub) {
        return [
          {
            prop,
            value: image,
            why: "the image comes from Docker Hub: pulls are rate-limited, outside Google's SLA, and not scanned for vulnerabilities",
            fix: REMOTE,
          },
        ];
      }
      if (registry === "gcr.io" || registry.endsWith(".gcr.io")) {
        return [
          {
            prop,
            value: image,
            why: `Container Registry (${registry}) is shut down; gcr.io only still works where it was migrated to Artifact Registry`,
            fix: "Push the image to an Artifact Registry repository and deploy REGION-docker.pkg.dev/PROJECT/REPO/IMAGE@sha256:…",
          },
        ];
      }
      return [
        {
          prop,
          value: image,
          why: `Cloud Run cannot pull from ${registry}: it deploys from Artifact Registry and Docker Hub only`,
          fix: `Create an Artifact Registry remote repository for ${registry} and deploy the image through it`,
        },
      ];
    });
  },
};
