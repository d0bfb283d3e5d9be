import * as path from "path";
import { App } from "cdktf";
import { loadEnvironments } from "./stacks/environment";
import { EnvironmentStack } from "./stacks/environment-stack";
import { reportAndExit } from "./stacks/errors";

// cdktf captures a stack trace for every token it creates; with tsx's source maps on, each frame
// is mapped back to TypeScript, about 40 % of synth time (see README, Performance budgets).
// Errors still show TypeScript positions: maps are switched back on before one is printed.
process.setSourceMapsEnabled(false);

try {
  const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out" });
  for (const env of loadEnvironments(path.join(__dirname, "environments")))
    new EnvironmentStack(app, env);
  app.synth();
} catch (error) {
  process.setSourceMapsEnabled(true);
  reportAndExit(error);
}
