/**
 * The runtimes Cloud Run functions accept (`build_config.runtime` of
 * `google_cloudfunctions2_function`), with their lifecycle dates, as Google lists them on
 * "Cloud Run functions runtimes" (https://cloud.google.com/run/docs/runtimes/function-runtimes)
 * and the per-language pages it links (…/run/docs/runtimes/nodejs, python, go, java, ruby, php,
 * dotnet), read in November 2026. After its decommission date a runtime can no longer be deployed
 * (Google refuses the build), so synth fails; during its deprecation period it still deploys, so
 * synth warns. Runtimes listed without dates had none on the page (still supported, or dates not
 * recorded here): they are accepted. Preview runtimes are accepted with a warning.
 *
 * A well-formed id newer than every listed version of its language (`nodejs26` when this list
 * stops at `nodejs24`) is accepted with a warning, so a new Google runtime never needs a release
 * of this library; anything else is refused with the list.
 */

export interface RuntimeInfo {
  readonly id: string;
  /**
   * Start of the deprecation period, `YYYY-MM-DD`.
   * @default - none: not deprecated
   */
  readonly deprecated?: string | undefined;
  /**
   * Decommission date, `YYYY-MM-DD`: no deploys from then on.
   * @default - none: no decommission date announced
   */
  readonly decommissioned?: string | undefined;
  /** @default false */
  readonly preview?: boolean | undefined;
}

const r = (id: string, deprecated?: string, decommissioned?: string): RuntimeInfo => ({
  id,
  deprecated,
  decommissioned,
});

/** Every runtime id of the page, newest first per language. */
export const FUNCTION_RUNTIMES: readonly RuntimeInfo[] = [
  { id: "nodejs26", preview: true },
  r("nodejs24", "2028-04-30", "2028-10-31"),
  r("nodejs22", "2027-04-30", "2027-10-31"),
  r("nodejs20", "2026-04-30", "2026-10-30"),
  r("nodejs18", "2025-04-30", "2025-10-30"),
  r("nodejs16", "2024-01-30", "2025-01-30"),
  r("nodejs14", "2024-01-30", "2025-01-30"),
  r("nodejs12", "2024-01-30", "2025-01-30"),
  r("nodejs10", "2024-01-30", "2025-01-30"),
  r("nodejs8", "2020-06-05", "2021-02-01"),
  r("nodejs6", "2019-04-17", "2020-08-01"),
  { id: "python315", preview: true },
  r("python314", "2030-10-10", "2031-04-10"),
  r("python313", "2029-10-10", "2030-04-10"),
  r("python312", "2028-10-02", "2029-04-02"),
  r("python311"),
  r("python310"),
  r("python39"),
  r("python38"),
  r("python37"),
  r("go125"),
  r("go124"),
  r("go123"),
  r("go122"),
  r("go121"),
  r("go120"),
  r("go119"),
  r("go118"),
  r("go116"),
  r("go113"),
  r("go111"),
  r("java25", "2031-10-01"),
  r("java21", "2031-09-01"),
  r("java17", "2027-10-01"),
  r("java11", "2024-10-31", "2025-10-31"),
  r("ruby34"),
  r("ruby33"),
  r("ruby32"),
  r("ruby30"),
  r("ruby27"),
  r("ruby26"),
  r("php84"),
  r("php83"),
  r("php82"),
  r("php81"),
  r("php74"),
  r("dotnet8"),
  r("dotnet6"),
  r("dotnet3"),
];

const ID = /^(nodejs|python|go|java|ruby|php|dotnet)(\d+)$/;

export type RuntimeVerdict =
  { readonly ok: true; readonly warning?: string } | { readonly ok: false; readonly why: string };

/** The runtimes that deploy on `today` (for messages). */
export function deployableRuntimes(today: string): string[] {
  return FUNCTION_RUNTIMES.filter((x) => !x.decommissioned || x.decommissioned > today).map(
    (x) => x.id,
  );
}

/** Is `runtime` deployable on `today` (`YYYY-MM-DD`)? */
export function checkRuntime(runtime: string, today: string): RuntimeVerdict {
  const known = FUNCTION_RUNTIMES.find((x) => x.id === runtime);
  if (known) {
    if (known.decommissioned && known.decommissioned <= today)
      return {
        ok: false,
        why: `${runtime} was decommissioned on ${known.decommissioned}: Google no longer builds or deploys it`,
      };
    if (known.deprecated && known.deprecated <= today)
      return {
        ok: true,
        warning: `${runtime} is deprecated since ${known.deprecated}${known.decommissioned ? ` and stops deploying on ${known.decommissioned}` : ""}; move to a newer runtime`,
      };
    if (known.preview)
      return { ok: true, warning: `${runtime} is a Preview runtime (no SLA); prefer a GA one` };
    return { ok: true };
  }
  const m = ID.exec(runtime);
  if (m) {
    const versions = FUNCTION_RUNTIMES.map((x) => ID.exec(x.id))
      .filter((x): x is RegExpExecArray => x !== null && x[1] === m[1])
      .map((x) => Number(x[2]));
    if (Number(m[2]) > Math.max(...versions))
      return {
        ok: true,
        warning: `${runtime} is newer than the runtimes this library knows (${m[1]}${Math.max(...versions)}); check that Google lists it`,
      };
    return { ok: false, why: `${runtime} is not a runtime Google lists for Cloud Run functions` };
  }
  return {
    ok: false,
    why: "a runtime is a Cloud Run functions runtime id such as nodejs22, python313, go125, java21, ruby34, php84 or dotnet8",
  };
}
