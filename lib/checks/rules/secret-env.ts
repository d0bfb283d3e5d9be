import type { Rule, RuleFinding } from "../rule";
import { blocks, containersOf, isWorkload, literalString } from "../terraform-config";

/** Names that announce a secret: `DB_PASSWORD`, `API_KEY`, `GITHUB_TOKEN`, `CLIENT_SECRET` … */
const SECRET_NAME =
  /(^|_)(PASSWORD|PASSWD|PASSPHRASE|SECRET|SECRET_KEY|TOKEN|AUTH_TOKEN|API_?KEY|KEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIALS?)$/;
/** Names that end like a secret but are not one. */
const NOT_SECRET_NAME = /(^|_)PUBLIC_KEY$/;

/** Values that are secrets whatever the name: well-known credential formats and URLs with a password. */
const SECRET_VALUES: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a PEM private key"],
  [/\bAKIA[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, "a Google API key"],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, "a GitHub token"],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, "a Slack token"],
  [/\b[sr]k_live_[A-Za-z0-9]{16,}\b/, "a Stripe live key"],
  [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, "a URL with a password"],
];

/** A Google resource name (`projects/…/cryptoKeys/…`): names a key, is not one. */
const RESOURCE_NAME = /^(projects|organizations|folders)\//;

/**
 * A plain `env` value that looks like a secret, by the variable's name or by the value's shape:
 * it ends up readable in the revision, the console, `gcloud run … describe`, the Terraform state
 * and the plan of every pull request.
 */
export const secretEnv: Rule = {
  id: "CR_SECRET_ENV",
  severity: "error",
  explanation:
    "A secret in a plain env value is readable by anyone who can view the service, the revision, the Terraform state or a plan. Cloud Run reads secrets from Secret Manager at start-up instead, and the workload's identity gets access to that secret only.",
  fix: 'Move the value to Secret Manager and reference it with secrets: { NAME: { secret: "…" } } (env value_source.secret_key_ref).',
  appliesTo: isWorkload,
  check(r) {
    return containersOf(r).flatMap((c) =>
      blocks(c.container.env).flatMap((e): RuleFinding[] => {
        const name = literalString(e.name);
        const value = literalString(e.value);
        if (!name || !value) return [];
        const prop = `${c.path}.env.${name}`;
        const shape = SECRET_VALUES.find(([re]) => re.test(value))?.[1];
        const byName =
          SECRET_NAME.test(name.toUpperCase()) &&
          !NOT_SECRET_NAME.test(name.toUpperCase()) &&
          !RESOURCE_NAME.test(value);
        if (!shape && !byName) return [];
        return [
          {
            prop,
            // Never echo the secret itself into logs and CI output.
            value: `<redacted, ${value.length} characters>`,
            why: shape
              ? `the value of ${name} looks like ${shape}, and a plain env value is readable in the revision, the console, the Terraform state and every plan`
              : `${name} looks like a secret, and a plain env value is readable in the revision, the console, the Terraform state and every plan`,
            fix: `Store it in Secret Manager and pass it with secrets: { ${name}: { secret: "…" } }, or suppress CR_SECRET_ENV with a reason if it is not secret`,
          },
        ];
      }),
    );
  },
};
