import * as path from "path";
import { App } from "cdktf";
import { ConfigErrors, loadEnvironments } from "./stacks/environment";
import { EnvironmentStack } from "./stacks/environment-stack";
import { isConfigError, reportAndExit } from "./stacks/errors";

// cdktf captures a stack trace for every token it creates; with tsx's source maps on, each frame
// is mapped back to TypeScript, about 40 % of synth time (see README, Performance budgets).
// Errors still show TypeScript positions: maps are switched back on before one is printed.
process.setSourceMapsEnabled(false);

try {
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const app = new App({ outdir });
  // Every environment is built even when one fails, so one run reports all of them.
  const failed: Error[] = [];
  for (const env of loadEnvironments(
    process.env.ENVIRONMENTS_DIR ?? path.join(__dirname, "environments"),
  )) {
    try {
      new EnvironmentStack(app, env);
    } catch (error) {
      if (!isConfigError(error)) throw error;
      failed.push(error as Error);
    }
  }
  if (failed.length > 0) throw failed.length === 1 ? failed[0] : new ConfigErrors(failed);
  app.synth();
  const names = app.node.children.map((c) => c.node.id).join(", ");
  process.stderr.write(`synthesized ${names} into ${path.join(outdir, "stacks")}\n`);
} catch (error) {
  process.setSourceMapsEnabled(true);
  reportAndExit(error);
}
