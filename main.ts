import * as path from "path";
import { App } from "cdktf";
import { loadEnvironments } from "./stacks/environment";
import { EnvironmentStack } from "./stacks/environment-stack";
import { reportAndExit } from "./stacks/errors";

try {
  const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out" });
  for (const env of loadEnvironments(path.join(__dirname, "environments")))
    new EnvironmentStack(app, env);
  app.synth();
} catch (error) {
  reportAndExit(error);
}
