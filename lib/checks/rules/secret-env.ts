import type { Rule, RuleFinding } from "../rule";
import { blocks, containersOf, isWorkload, literalString, type Json } from "../terraform-config";

/**
 * Names that announce a secret: `DB_PASSWORD`, `PGPASSWORD`, `MYSQL_PWD`, `DB_PASS`, `API_KEY`,
 * `GITHUB_TOKEN`, `CLIENT_SECRET`, `SECRET_KEY_BASE` … A bare `PWD` is the working directory.
 */
const SECRET_NAME = new RegExp(
  [
    "(PASSWORD|PASSWD)$", // also PGPASSWORD, MYSQLPASSWORD
    "(^|_)(PASSPHRASE|SECRET|SECRET_KEY|SECRET_KEY_BASE|TOKEN|AUTH_TOKEN|API_?KEY|KEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIALS?|PASS)$",
    ".+_PWD$", // MYSQL_PWD, DB_PWD
  ].join("|"),
);
/** Names that end like a secret but are not one. */
const NOT_SECRET_NAME = /(^|_)(PUBLIC_KEY|PUBLISHABLE_KEY|SITE_KEY)$/;

/** Flags of a command line that take a secret: `--password`, `--db-password`, `--api-key` … */
const SECRET_FLAG =
  /^--?(?:[a-z0-9]+[-_])*(?:password|passwd|pwd|pass|passphrase|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credentials?)$/i;
/** `--flag=value` anywhere in an argument (also inside `sh -c "…"`). */
const FLAG_WITH_VALUE = /(?:^|\s)(--?[A-Za-z0-9_-]+)=("[^"]*"|'[^']*'|\S+)/g;

/** Probe headers that carry a credential. */
const SECRET_HEADER =
  /^(authorization|proxy-authorization|cookie|api-key|private-token|(x-)?([a-z0-9]+-)*(api-key|auth-token|token|secret|password|access-key))$/i;

/** Values that are secrets whatever the name: credential formats, URLs with a password, webhooks. */
const SECRET_VALUES: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a PEM private key"],
  [/\bAKIA[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, "a Google API key"],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, "a GitHub token"],
  [/\bgithub_pat_[A-Za-z0-9_]{40,}\b/, "a GitHub token"],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, "a Slack token"],
  [/\bxapp-[0-9]-[A-Za-z0-9-]{10,}/, "a Slack token"],
  [
    /https:\/\/hooks\.slack\.com\/(services|workflows|triggers)\/[A-Za-z0-9_/-]{8,}/,
    "a Slack webhook URL",
  ],
  [
    /https:\/\/(discord|discordapp)\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{20,}/,
    "a Discord webhook URL",
  ],
  [
    /https:\/\/chat\.googleapis\.com\/v1\/spaces\/[^/\s]+\/messages\?\S*token=[A-Za-z0-9_%-]{10,}/,
    "a Google Chat webhook URL",
  ],
  [/\b[sr]k_live_[A-Za-z0-9]{16,}\b/, "a Stripe live key"],
];

/** `scheme://user:password@host` anywhere in the value (the user may be empty: `redis://:pw@h`). */
const URL_WITH_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^/\s@]+)@/gi;

/** A Google resource name (`projects/…/cryptoKeys/…`): names a key, is not one. */
const RESOURCE_NAME = /^(projects|organizations|folders)\//;

/**
 * Values that are not a secret even under a secret's name: flags, placeholders for a value set
 * elsewhere (`$DB_PASS`, `${DB_PASS}`, `$(DB_PASS)`, `%DB_PASS%`, `<password>`, `****`), file
 * paths (`/secrets/db-pass`) and Google resource names.
 */
function notASecret(value: string): boolean {
  const v = value.trim();
  return (
    v === "" ||
    /^(true|false|yes|no|on|off|enabled|disabled|none|null|required|optional)$/i.test(v) ||
    /^(\$\{?\(?[A-Za-z_][A-Za-z0-9_]*[)}]?|%[A-Za-z_][A-Za-z0-9_]*%|<[^<>]*>|\*+|x+)$/i.test(
      v.replace(/^["']|["']$/g, ""),
    ) ||
    /^(\/|\.\/)[^\s]*$/.test(v) ||
    RESOURCE_NAME.test(v)
  );
}

/** What a value looks like, if it looks like a credential (URLs with a real password included). */
function secretShape(value: string): string | undefined {
  const shape = SECRET_VALUES.find(([re]) => re.test(value))?.[1];
  if (shape) return shape;
  for (const m of value.matchAll(URL_WITH_PASSWORD))
    if (!notASecret(decodeURIComponentSafe(m[1]))) return "a URL with a password";
  return undefined;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const unquote = (v: string) => v.replace(/^(["'])(.*)\1$/, "$2");

/** Secrets on a command line: credential-shaped items, `--password=…` and `--password …`. */
function commandLineFindings(
  items: unknown,
  path: string,
): Array<{ prop: string; why: string; length: number; name?: string }> {
  if (!Array.isArray(items)) return [];
  const out: Array<{ prop: string; why: string; length: number; name?: string }> = [];
  items.forEach((raw, i) => {
    const item = literalString(raw);
    if (item === undefined) return;
    const prop = `${path}[${i}]`;
    const shape = secretShape(item);
    if (shape) {
      out.push({ prop, why: `looks like ${shape}`, length: item.length });
      return;
    }
    for (const m of item.matchAll(FLAG_WITH_VALUE)) {
      if (SECRET_FLAG.test(m[1]) && !notASecret(unquote(m[2]))) {
        out.push({ prop, why: `passes ${m[1]} a literal value`, length: item.length, name: m[1] });
        return;
      }
    }
    const next = literalString(items[i + 1]);
    if (SECRET_FLAG.test(item) && next !== undefined && !next.startsWith("-") && !notASecret(next))
      out.push({
        prop: `${path}[${i + 1}]`,
        why: `is the value of ${item}`,
        length: next.length,
        name: item,
      });
  });
  return out;
}

const WHERE = "is readable in the revision, the console, the Terraform state and every plan";

/**
 * A secret written as plain text into a workload: an `env` value named or shaped like a secret,
 * a credential (or `--password=…`) in `args` or `command`, a credential in a probe header. It
 * ends up readable in the revision, the console, `gcloud run … describe`, the Terraform state and
 * the plan of every pull request. Values never appear in the message.
 */
export const secretEnv: Rule = {
  id: "CHECK_SECRET_ENV",
  severity: "error",
  explanation:
    "A secret in a plain env value, an argument or a probe header is readable by anyone who can view the service, the revision, the Terraform state or a plan. Cloud Run reads secrets from Secret Manager at start-up instead, and the workload's identity gets access to that secret only.",
  fix: 'Move the value to Secret Manager and reference it with secrets: { NAME: { secret: "…" } } (env value_source.secret_key_ref).',
  appliesTo: isWorkload,
  check(r) {
    return containersOf(r).flatMap((c): RuleFinding[] => {
      const out: RuleFinding[] = [];
      const redacted = (length: number) => `<redacted, ${length} characters>`;
      for (const e of blocks(c.container.env)) {
        const name = literalString(e.name);
        const value = literalString(e.value);
        if (!name || !value) continue;
        const shape = secretShape(value);
        const upper = name.toUpperCase();
        const byName =
          SECRET_NAME.test(upper) && !NOT_SECRET_NAME.test(upper) && !notASecret(value);
        if (!shape && !byName) continue;
        out.push({
          prop: `${c.path}.env.${name}`,
          // Never echo the secret itself into logs and CI output.
          value: redacted(value.length),
          why: shape
            ? `the value of ${name} looks like ${shape}, and a plain env value ${WHERE}`
            : `${name} looks like a secret, and a plain env value ${WHERE}`,
          fix: `Store it in Secret Manager and pass it with secrets: { ${name}: { secret: "…" } }, or suppress CHECK_SECRET_ENV with a reason if it is not secret`,
        });
      }
      for (const key of ["args", "command"] as const) {
        for (const f of commandLineFindings(c.container[key], `${c.path}.${key}`)) {
          out.push({
            prop: f.prop,
            value: redacted(f.length),
            why: `this ${key === "args" ? "argument" : "command item"} ${f.why}, and ${key} ${WHERE}`,
            fix: `Read the secret from an env var filled from Secret Manager (secrets: { NAME: { secret: "…" } }) and pass $(NAME)${f.name ? ` to ${f.name}` : ""}, or suppress CHECK_SECRET_ENV with a reason if it is not secret`,
          });
        }
      }
      for (const probe of ["startup_probe", "liveness_probe"]) {
        const http = blocks(blocks(c.container[probe])[0]?.http_get)[0] as Json | undefined;
        for (const h of blocks(http?.http_headers)) {
          const name = literalString(h.name);
          const value = literalString(h.value);
          if (!name || !value) continue;
          const shape = secretShape(value);
          if (!shape && (!SECRET_HEADER.test(name) || notASecret(value))) continue;
          out.push({
            prop: `${c.path}.${probe}.http_get.http_headers.${name}`,
            value: redacted(value.length),
            why: `the ${name} header ${shape ? `looks like ${shape}` : "carries a credential"}, and a probe header ${WHERE}`,
            fix: "Probe an endpoint that needs no credential (probes come from inside the instance), or suppress CHECK_SECRET_ENV with a reason if it is not secret",
          });
        }
      }
      return out;
    });
  },
};
