import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { readEnvironments } from "./stacks/environment";
import { EnvironmentStack } from "./stacks/environment-stack";
import { isConfigError, reportAndExit, SynthProblems } from "./stacks/errors";
import { publish, stagingFolder, synthStacks } from "./stacks/output";

// cdktf captures a stack trace for every token it creates; with tsx's source maps on, each frame
// is mapped back to TypeScript, about 40 % of synth time (see docs/performance.md).
// Errors still show TypeScript positions: maps are switched back on before one is printed.
process.setSourceMapsEnabled(false);

// The cdktf CLI (`cdktf synth`) passes its context in CDKTF_CONTEXT_JSON and prints its own summary;
// it shows whatever the app writes to stderr as `[ERROR]`, so the success line is left to it.
const underCli = process.env.CDKTF_CONTEXT_JSON !== undefined;
// The CLI sets CDKTF_OUTDIR to its output folder and reads manifest.json from there afterwards.
const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
let staging: string | undefined;

// Interrupted: nothing half-written is left beside the output.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    if (staging) fs.rmSync(staging, { recursive: true, force: true });
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const)[signal]);
  });
}

try {
  const folder = readEnvironments(
    process.env.ENVIRONMENTS_DIR ?? path.join(__dirname, "environments"),
  );
  for (const note of folder.notes) process.stderr.write(`note: ${note}\n`);
  staging = stagingFolder(outdir);
  const app = new App({ outdir: staging });
  // Every environment is built even when one fails, and every stack validated, so one run
  // reports every problem of every file.
  const failed: Error[] = [...folder.errors];
  const built: EnvironmentStack[] = [];
  for (const env of folder.environments) {
    try {
      built.push(new EnvironmentStack(app, env));
    } catch (error) {
      if (!isConfigError(error)) throw error;
      failed.push(error);
    }
  }
  failed.push(...synthStacks(app, built));
  if (failed.length > 0) throw new SynthProblems(failed, folder.environments);
  publish(staging, outdir);
  staging = undefined;
  const names = app.node.children.map((c) => c.node.id).join(", ");
  if (!underCli) process.stderr.write(`synthesized ${names} into ${path.join(outdir, "stacks")}\n`);
} catch (error) {
  if (staging) fs.rmSync(staging, { recursive: true, force: true });
  process.setSourceMapsEnabled(true);
  reportAndExit(error);
}
