import type { Rule, RuleFinding } from "../rule";
import { deployedImages, isWorkload } from "../terraform-config";

/**
 * An image by tag (or with no tag, meaning `:latest`) instead of a digest, when Terraform manages
 * the image: an error in a prod-tier environment, a warning elsewhere. Images Terraform ignores
 * (`imageManagedBy: "external"`, i.e. `lifecycle.ignore_changes` covers the image) and images
 * built from source are skipped.
 */
export const imageDigest: Rule = {
  id: "CHECK_IMAGE_DIGEST",
  severity: "error",
  explanation:
    "A tag can be moved to other content, so what runs is not what was reviewed, and re-applying an unchanged tag such as :latest never rolls out a new revision. A digest pins the exact image and is what promotion copies between environments.",
  fix: 'Deploy REGISTRY/PATH@sha256:… (npm run promote copies digests), or set imageManagedBy: "external" when CI deploys the image.',
  appliesTo: isWorkload,
  check(r, { env }) {
    const prod = env.tier === "prod";
    return deployedImages(r).flatMap(({ prop, image, ref }): RuleFinding[] => {
      if (ref.digest) return [];
      const tag = ref.tag ? `tag :${ref.tag}` : "no tag (:latest is implied)";
      return [
        {
          prop,
          value: image,
          severity: prod ? "error" : "warning",
          why: `the image has ${tag} and no digest; a tag can move, so the revision that runs is not the one reviewed${prod ? ", and this is a prod-tier environment" : ""}`,
          fix: `Deploy by digest (${ref.registry}/${ref.path}@sha256:…; npm run promote copies digests), or set imageManagedBy: "external" if CI deploys the image`,
        },
      ];
    });
  },
};
