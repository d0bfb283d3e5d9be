import type { Rule, RuleFinding } from "../rule";
import { block, blocks, containersOf, isWorkload, revisionTemplate } from "../terraform-config";

/**
 * A secret read at version `latest` in a prod-tier environment: a new secret version reaches new
 * instances without a deploy, and rolling back a revision does not roll back the secret.
 */
export const secretLatest: Rule = {
  id: "CHECK_SECRET_LATEST",
  severity: "warning",
  explanation:
    'With version "latest" each new instance reads whatever version is newest: a secret rotation reaches production without a review or a deploy, instances of one revision may disagree, and a rollback does not restore the old value.',
  fix: 'Pin a version number in prod (secrets: { NAME: { secret: "db-pass", version: "3" } }) and roll it out like an image.',
  appliesTo: isWorkload,
  check(r, { env }) {
    if (env.tier !== "prod") return [];
    const why =
      "a prod revision reads whatever version is newest, so a rotation reaches production without a deploy and a rollback does not restore the old value";
    const fix = 'Pin a version number, e.g. version: "3"';
    const fromEnv = containersOf(r).flatMap((c) =>
      blocks(c.container.env).flatMap((e, i): RuleFinding[] => {
        const ref = block(block(e.value_source)?.secret_key_ref);
        return ref?.version === "latest"
          ? [
              {
                prop: `${c.path}.env[${i}].value_source.secret_key_ref.version`,
                value: "latest",
                why,
                fix,
              },
            ]
          : [];
      }),
    );
    const t = revisionTemplate(r);
    const fromVolumes = blocks(t.block?.volumes).flatMap((v, i) =>
      blocks(block(v.secret)?.items).flatMap((item, j): RuleFinding[] =>
        item.version === "latest"
          ? [
              {
                prop: `${t.path}.volumes[${i}].secret.items[${j}].version`,
                value: "latest",
                why,
                fix,
              },
            ]
          : [],
      ),
    );
    return [...fromEnv, ...fromVolumes];
  },
};
