import type { Rule } from "../rule";
import { isLiteral, isWorkload, literalString, revisionTemplate } from "../terraform-config";

/** The Compute Engine and App Engine default accounts, which hold Editor on the project by default. */
const DEFAULT_ACCOUNT =
  /(-compute@developer\.gserviceaccount\.com|@appspot\.gserviceaccount\.com)$/;

/**
 * A workload without `service_account` runs as the Compute Engine default service account, which
 * usually holds roles/editor on the whole project.
 */
export const defaultServiceAccount: Rule = {
  id: "CHECK_DEFAULT_SERVICE_ACCOUNT",
  severity: "error",
  explanation:
    "Without a service account a workload runs as the Compute Engine default service account, which usually holds Editor on the project: any code in the container could change almost anything. Google recommends a dedicated, least-privilege identity per workload.",
  fix: "Leave serviceAccount unset on the construct (a dedicated account is created), or pass the email of a dedicated account.",
  appliesTo: isWorkload,
  check(r) {
    const t = revisionTemplate(r);
    const prop = `${t.path}.service_account`;
    const value = t.block?.service_account;
    if (value === undefined || value === null || value === "") {
      return [
        {
          prop,
          value: undefined,
          why: "the workload then runs as the Compute Engine default service account (PROJECT_NUMBER-compute@developer.gserviceaccount.com), usually an Editor of the project",
          fix: "Leave serviceAccount unset on the construct to get a dedicated account, or set it to a dedicated account's email",
        },
      ];
    }
    const email = literalString(value);
    if (!isLiteral(value) || !email || !DEFAULT_ACCOUNT.test(email)) return [];
    return [
      {
        prop,
        value: email,
        why: "this is a default service account, usually an Editor of the whole project",
        fix: "Use a dedicated, least-privilege account (leave serviceAccount unset on the construct to get one)",
      },
    ];
  },
};
