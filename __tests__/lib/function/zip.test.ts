/** Reproducible source archives: valid ZIP, stored entries, normalized modes, private temp folder. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  archiveHash,
  removeSourceArchives,
  sourceArchiveDir,
  writeArchive,
  zipFiles,
} from "../../../lib/function/zip";
import { SourceFile } from "../../../lib/function/source-files";
import { unzip } from "../../unzip";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "zip-test-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
afterAll(() => removeSourceArchives());

function file(rel: string, text: string, mode = 0o644): SourceFile {
  const abs = path.join(dir, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  fs.chmodSync(abs, mode);
  return { rel, abs, executable: (mode & 0o111) !== 0 };
}

describe("zipFiles", () => {
  test("holds every file with its path and content, sorted by path", () => {
    const entries = unzip(
      zipFiles([file("main.py", "print(1)\n"), file("lib/util.py", "x = 1\n")]),
    );
    expect(entries.map((e) => [e.name, e.data])).toEqual([
      ["lib/util.py", "x = 1\n"],
      ["main.py", "print(1)\n"],
    ]);
  });

  test("stores entries uncompressed, so the bytes do not depend on the zlib build", () => {
    expect(unzip(zipFiles([file("a.txt", "aaaa")])).map((e) => e.method)).toEqual([0]);
  });

  test("normalizes modes: 0644, or 0755 with any execute bit, whatever the umask gave", () => {
    const entries = unzip(
      zipFiles([
        file("a.txt", "a", 0o600),
        file("b.txt", "b", 0o664),
        file("run.sh", "#!/bin/sh\n", 0o700),
        file("tool", "x", 0o744),
      ]),
    );
    expect(entries.map((e) => e.mode)).toEqual([0o100644, 0o100644, 0o100755, 0o100755]);
  });

  test("the same content under different modes and times gives the same bytes", () => {
    const a = zipFiles([file("x/main.py", "print(1)\n", 0o600)]);
    fs.rmSync(path.join(dir, "x"), { recursive: true });
    const b = file("x/main.py", "print(1)\n", 0o664);
    fs.utimesSync(b.abs, new Date("2001-02-03T04:05:06Z"), new Date("2001-02-03T04:05:06Z"));
    expect(zipFiles([b]).equals(a)).toBe(true);
  });

  test("writes the fixed 1980-01-01 timestamp, independent of the time zone", () => {
    const [entry] = unzip(zipFiles([file("a", "a")]));
    expect([entry.time, entry.date]).toEqual([0, (0 << 9) | (1 << 5) | 1]);
  });

  test("the order files are given in does not matter", () => {
    const a = file("a.txt", "a");
    const b = file("b.txt", "b");
    expect(zipFiles([b, a]).equals(zipFiles([a, b]))).toBe(true);
  });
});

describe("writeArchive", () => {
  test("writes into a private per-user folder (mode 0700) and removes it on request", () => {
    const bytes = zipFiles([file("main.py", "x")]);
    const hash = archiveHash(bytes);
    const written = writeArchive(bytes, hash);
    const folder = sourceArchiveDir()!;
    expect(written).toBe(path.join(folder, hash, "archive.zip"));
    expect(path.basename(folder)).toMatch(/^cdktf-cloud-run-/);
    expect(fs.statSync(folder).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(written).equals(bytes)).toBe(true);
    removeSourceArchives();
    expect(fs.existsSync(folder)).toBe(false);
  });

  test("writes each archive once per process", () => {
    const bytes = zipFiles([file("main.py", "y")]);
    const hash = archiveHash(bytes);
    const first = writeArchive(bytes, hash);
    const mtime = fs.statSync(first).mtimeMs;
    expect(writeArchive(bytes, hash)).toBe(first);
    expect(fs.statSync(first).mtimeMs).toBe(mtime);
  });
});
