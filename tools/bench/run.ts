/**
 * Runs one synth as a separate process and measures it: wall time (parent side), app time and
 * marks (the timing hook, inside the process), and peak RSS (`/usr/bin/time -v` when present,
 * otherwise the process's own `resourceUsage().maxRSS`).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface Sample {
  /** Process start to exit, measured by the parent. */
  readonly wallMs: number;
  /** Process start to after `app.synth()` (or exit), measured inside the process. */
  readonly appMs?: number;
  /** CPU time of the process (user + system, all its threads), ms: less sensitive to load. */
  readonly cpuMs?: number;
  /** Peak resident set size, MB (1 MB = 1,048,576 bytes). */
  readonly rssMb: number;
  /** Marks the app set (`loaded`, `built`, `synthesized`), ms since process start. */
  readonly marks: Readonly<Record<string, number>>;
}

export interface RunSpec {
  /** Command and arguments (`node --import tsx app.ts`). */
  readonly command: readonly string[];
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Output folder for the synth (CDKTF_OUTDIR); emptied first. */
  readonly outdir: string;
  readonly timeoutMs?: number;
}

export class RunError extends Error {}

const GNU_TIME = "/usr/bin/time";
let gnuTime: boolean | undefined;

/** Is GNU time (with -v) available? */
export function hasGnuTime(): boolean {
  if (gnuTime === undefined) {
    const r = spawnSync(GNU_TIME, ["-v", "true"], { encoding: "utf8" });
    gnuTime = r.status === 0 && /Maximum resident set size/.test(r.stderr ?? "");
  }
  return gnuTime;
}

/** Parses `Maximum resident set size (kbytes): N` from GNU time's -v report. */
export function parseGnuTimeRssKb(report: string): number | undefined {
  const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(report);
  return m ? Number(m[1]) : undefined;
}

/** Runs once; throws RunError with the tail of stderr when the process fails. */
export function runOnce(spec: RunSpec, hookFile: string): Sample {
  fs.rmSync(spec.outdir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(spec.outdir), { recursive: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bench-run-"));
  const timingFile = path.join(scratch, "timing.json");
  const timeFile = path.join(scratch, "time.txt");
  try {
    const [cmd, ...args] = spec.command;
    const useTime = hasGnuTime();
    const env = {
      ...process.env,
      ...spec.env,
      CDKTF_OUTDIR: spec.outdir,
      BENCH_TIMING_FILE: timingFile,
      NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require ${hookFile}`].filter(Boolean).join(" "),
    };
    const start = process.hrtime.bigint();
    const r = spawnSync(
      useTime ? GNU_TIME : cmd,
      useTime ? ["-v", "-o", timeFile, cmd, ...args] : args,
      {
        cwd: spec.cwd,
        env,
        encoding: "utf8",
        timeout: spec.timeoutMs ?? 600_000,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.error) throw new RunError(`${spec.command.join(" ")}: ${r.error.message}`);
    if (r.status !== 0) {
      const tail = `${r.stderr ?? ""}${r.stdout ?? ""}`.trim().split("\n").slice(-15).join("\n");
      throw new RunError(`${spec.command.join(" ")} exited ${r.status} in ${spec.cwd}:\n${tail}`);
    }
    const timing = fs.existsSync(timingFile)
      ? (JSON.parse(fs.readFileSync(timingFile, "utf8")) as {
          appMs: number;
          cpuMs?: number;
          marks: Record<string, number>;
          maxRssKb: number;
        })
      : undefined;
    const rssKb =
      (useTime && fs.existsSync(timeFile)
        ? parseGnuTimeRssKb(fs.readFileSync(timeFile, "utf8"))
        : undefined) ?? timing?.maxRssKb;
    return {
      wallMs,
      appMs: timing ? (timing.marks.synthesized ?? timing.appMs) : undefined,
      cpuMs: timing?.cpuMs,
      rssMb: (rssKb ?? 0) / 1024,
      marks: timing?.marks ?? {},
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
