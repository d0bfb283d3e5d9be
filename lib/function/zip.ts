/**
 * Source archives, zipped in-process and byte-for-byte reproducible: the same files give the
 * same bytes on every machine, in every time zone and under every umask, so the object name (the
 * hash of these bytes) and the object's MD5 never change unless a file does.
 *
 * - entries sorted by path (code-point order, not the locale's);
 * - a fixed timestamp (1980-01-01 00:00, the earliest MS-DOS date) and no extra fields (no
 *   Unix times, uid or gid);
 * - modes normalized to 0644, or 0755 when the file has any execute bit (the only bit gcloud's
 *   buildpacks care about); the umask and group/other bits never reach the archive;
 * - entries STORED, not deflated: deflate output depends on the zlib build (Node releases ship
 *   different ones), stored bytes depend on the content alone. Sources are small; Cloud Storage
 *   and Cloud Build do not care.
 *
 * cdktf's `AssetType.ARCHIVE` would start a `node` process per asset and per stack (about 0.2 s
 * each) and write file times; here each archive is built once per process into a private
 * per-user temporary folder (mode 0700), which is removed when the process exits.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { SourceFile, byCodePoint } from "./source-files";

const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;
const MADE_BY_UNIX = (3 << 8) | 20;
const STORED = 0;

/** The mode written for a file: 0644, or 0755 when executable. */
export function normalizedMode(executable: boolean): number {
  return executable ? 0o755 : 0o644;
}

/** A ZIP archive (stored entries) of `files`, sorted by path, with normalized modes. */
export function zipFiles(files: readonly SourceFile[]): Buffer {
  if (files.length > 0xffff)
    throw new Error("source archives of more than 65,535 files are not supported");
  const sorted = [...files].sort((a, b) => byCodePoint(a.rel, b.rel));
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const file of sorted) {
    const data = fs.readFileSync(file.abs);
    const name = Buffer.from(file.rel, "utf8");
    const crc = zlib.crc32(data);
    const mode = 0o100000 | normalizedMode(file.executable);
    if (offset + data.length > 0xffffffff)
      throw new Error("source archives above 4 GiB are not supported");

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(STORED, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(MADE_BY_UNIX, 4);
    entry.writeUInt16LE(10, 6);
    entry.writeUInt16LE(UTF8_NAMES, 8);
    entry.writeUInt16LE(STORED, 10);
    entry.writeUInt16LE(DOS_TIME, 12);
    entry.writeUInt16LE(DOS_DATE, 14);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    // extra, comment, disk, internal attributes: 0
    entry.writeUInt32LE((mode << 16) >>> 0, 38);
    entry.writeUInt32LE(offset, 42);

    chunks.push(local, name, data);
    central.push(entry, name);
    offset += local.length + name.length + data.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, ...central, end]);
}

/** SHA-256 of the archive's bytes, hex: what the object name carries. */
export function archiveHash(bytes: Buffer): string {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

let tempDir: string | undefined;
const WRITTEN = new Map<string, string>();

/**
 * This process's private folder for archives (`<tmpdir>/cdktf-cloud-run-<uid>-XXXXXX`, mode
 * 0700), created on first use and removed when the process exits (after `app.synth()` has copied
 * the archives into `cdktf.out`).
 */
function privateTempDir(): string {
  if (tempDir && fs.existsSync(tempDir)) return tempDir;
  const uid = typeof process.getuid === "function" ? process.getuid() : os.userInfo().username;
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), `cdktf-cloud-run-${uid}-`));
  fs.chmodSync(tempDir, 0o700);
  process.once("exit", removeSourceArchives);
  return tempDir;
}

/**
 * Writes `bytes` as `<private folder>/<hash>/archive.zip` (once per hash and process) and returns
 * the path, for a `TerraformAsset` to copy at synth.
 */
export function writeArchive(bytes: Buffer, hash: string): string {
  const known = WRITTEN.get(hash);
  if (known && fs.existsSync(known)) return known;
  const dir = path.join(privateTempDir(), hash);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, "archive.zip");
  fs.writeFileSync(file, bytes, { mode: 0o600 });
  WRITTEN.set(hash, file);
  return file;
}

/** Removes this process's archive folder (also done on exit). Call after `app.synth()`. */
export function removeSourceArchives(): void {
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
  WRITTEN.clear();
}

/** The folder archives are written to, when one exists (for tests). */
export function sourceArchiveDir(): string | undefined {
  return tempDir;
}
