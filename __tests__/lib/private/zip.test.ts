/** In-process source archives: a valid, deterministic ZIP, written once per process. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { sourceArchive, zipFiles } from "../../../lib/private/zip";

function sourceDir(files: Record<string, string>, mode?: Record<string, number>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zip-test-"));
  for (const [rel, text] of Object.entries(files)) {
    const full = path.join(dir, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
    if (mode?.[rel] !== undefined) fs.chmodSync(full, mode[rel]);
  }
  return dir;
}

interface Entry {
  name: string;
  data: string;
  mode: number;
}

/** Reads the central directory and inflates each entry from its local header. */
function unzip(zip: Buffer): Entry[] {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(p)).toBe(0x02014b50);
    const size = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const mode = zip.readUInt32LE(p + 38) >>> 16;
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString("utf8", p + 46, p + 46 + nameLength);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zlib.inflateRawSync(zip.subarray(start, start + size));
    expect(zlib.crc32(data)).toBe(zip.readUInt32LE(p + 16));
    out.push({ name, data: data.toString("utf8"), mode });
    p += 46 + nameLength;
  }
  return out;
}

describe("zipFiles", () => {
  test("holds every listed file, in order, with its content", () => {
    const dir = sourceDir({ "main.py": "print('hi')\n", "lib/util.py": "x = 1\n" });
    const entries = unzip(zipFiles(dir, ["lib/util.py", "main.py"]));
    expect(entries.map((e) => [e.name, e.data])).toEqual([
      ["lib/util.py", "x = 1\n"],
      ["main.py", "print('hi')\n"],
    ]);
  });

  test("keeps the permission bits of each file", () => {
    const dir = sourceDir(
      { "run.sh": "#!/bin/sh\n", "a.txt": "a" },
      { "run.sh": 0o755, "a.txt": 0o644 },
    );
    expect(unzip(zipFiles(dir, ["a.txt", "run.sh"])).map((e) => e.mode)).toEqual([
      0o100644, 0o100755,
    ]);
  });

  test("gives the same bytes for the same content, whatever the file times", () => {
    const dir = sourceDir({ "main.py": "x" });
    const first = zipFiles(dir, ["main.py"]);
    fs.utimesSync(path.join(dir, "main.py"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(zipFiles(dir, ["main.py"]).equals(first)).toBe(true);
  });
});

describe("sourceArchive", () => {
  test("writes archive.zip under a folder named after the hash", () => {
    const dir = sourceDir({ "main.py": "x" });
    const file = sourceArchive(dir, ["main.py"], "0123456789abcdef");
    expect(file).toBe(
      path.join(os.tmpdir(), "cdktf-cloud-run-sources", "0123456789abcdef", "archive.zip"),
    );
    expect(unzip(fs.readFileSync(file)).map((e) => e.name)).toEqual(["main.py"]);
  });

  test("zips a source once per process", () => {
    const dir = sourceDir({ "main.py": "x" });
    const file = sourceArchive(dir, ["main.py"], "fedcba9876543210");
    fs.writeFileSync(file, "marker");
    expect(sourceArchive(dir, ["main.py"], "fedcba9876543210")).toBe(file);
    expect(fs.readFileSync(file, "utf8")).toBe("marker");
  });
});
