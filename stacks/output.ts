/**
 * Synthesizes an App into a staging folder beside the output folder and moves the result into
 * place only when every stack succeeded: a failed synth leaves the previous output as it was,
 * never some stacks fresh beside stale ones.
 *
 * Each stack folder is replaced whole, so a file an earlier synth wrote and this one does not
 * (`cdk.tf` from `cdktf synth --hcl` beside a new `cdk.tf.json`, an asset that is gone) does not
 * survive. Terraform's own working files in a stack folder (`.terraform/`, the lock file, local
 * state) are carried over: they are not synth output, and local state must never be lost.
 */
import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack } from "cdktf";

/** Terraform's files in a stack's working folder, kept across syntheses. */
const TERRAFORM_FILES =
  /^(\.terraform|\.terraform\.lock\.hcl|terraform\.tfstate\.d|.*\.tfstate(\.backup)?)$/;

/** How cdktf's per-stack validation error starts (cdktf/lib/errors.js stackValidationFailure). */
const VALIDATION_FAILED = /^Validation failed with the following errors:\n/;

/** A new staging folder beside `outdir` (same file system, so moving it in is a rename). */
export function stagingFolder(outdir: string): string {
  const parent = path.dirname(path.resolve(outdir));
  fs.mkdirSync(parent, { recursive: true });
  return fs.mkdtempSync(path.join(parent, `.${path.basename(outdir)}.staging-`));
}

/**
 * Synthesizes `stacks` of `app` (whose outdir is a staging folder), as `app.synth()` does, but
 * collecting the validation failure of every stack rather than stopping at the first, so one run
 * lists them all. Returns the errors; the staging folder is complete only when there are none.
 */
export function synthStacks(
  app: App,
  stacks: readonly TerraformStack[] = app.node.findAll().filter(TerraformStack.isStack),
): Error[] {
  const session = { outdir: app.outdir, skipValidation: false, manifest: app.manifest };
  stacks.forEach((s) => s.prepareStack());
  const errors: Error[] = [];
  for (const stack of stacks) {
    try {
      stack.synthesizer.synthesize(session);
    } catch (e) {
      // Validation failures are configuration problems, collected; anything else is a bug.
      if (!(e instanceof Error && VALIDATION_FAILED.test(e.message))) throw e;
      errors.push(e);
    }
  }
  app.manifest.writeToFile();
  return errors;
}

/**
 * Moves the stacks synthesized in `staging` into `outdir`: each stack folder replaced whole
 * (Terraform's working files carried over), then the manifest. Stack folders of `outdir` that
 * this synth did not write are left alone (`cdktf synth` removes them itself). `staging` is
 * removed.
 */
export function publish(staging: string, outdir: string): void {
  try {
    const stacks = path.join(outdir, "stacks");
    fs.mkdirSync(stacks, { recursive: true });
    const staged = path.join(staging, "stacks");
    const old = path.join(staging, "replaced");
    fs.mkdirSync(old);
    for (const name of fs.existsSync(staged) ? fs.readdirSync(staged) : []) {
      const target = path.join(stacks, name);
      if (fs.existsSync(target)) {
        for (const f of fs.readdirSync(target).filter((f) => TERRAFORM_FILES.test(f))) {
          fs.renameSync(path.join(target, f), path.join(staged, name, f));
        }
        fs.renameSync(target, path.join(old, name));
      }
      fs.renameSync(path.join(staged, name), target);
    }
    fs.renameSync(path.join(staging, "manifest.json"), path.join(outdir, "manifest.json"));
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
