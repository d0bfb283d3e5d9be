/**
 * Source archives, zipped in-process. cdktf's `AssetType.ARCHIVE` starts a separate `node`
 * process per asset and per stack (about 0.2 s each, so 0.6 s of a three-environment synth);
 * here each source is zipped once per process, deterministically (fixed timestamps, sorted
 * names), into a content-addressed file that the asset then copies as a plain file.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";

/** 1980-01-01 00:00, the earliest MS-DOS date: the same bytes for the same content. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;
const MADE_BY_UNIX = (3 << 8) | 20;

/**
 * A ZIP archive (deflate) of `files` (relative, `/`-separated) under `directory`, in the given
 * order, with each file's permission bits.
 */
export function zipFiles(directory: string, files: readonly string[]): Buffer {
  if (files.length > 0xffff)
    throw new Error(`${directory}: source archives of more than 65,535 files are not supported`);
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const rel of files) {
    const full = path.join(directory, ...rel.split("/"));
    const data = fs.readFileSync(full);
    const mode = 0o100000 | (fs.statSync(full).mode & 0o777);
    const deflated = zlib.deflateRawSync(data, { level: 9 });
    const name = Buffer.from(rel, "utf8");
    const crc = zlib.crc32(data);
    if (offset > 0xffffffff || data.length > 0xffffffff)
      throw new Error(`${directory}: source archives above 4 GiB are not supported`);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(MADE_BY_UNIX, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(UTF8_NAMES, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt16LE(DOS_TIME, 12);
    entry.writeUInt16LE(DOS_DATE, 14);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(deflated.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    // extra, comment, disk, internal attributes: 0
    entry.writeUInt32LE((mode << 16) >>> 0, 38);
    entry.writeUInt32LE(offset, 42);

    chunks.push(local, name, deflated);
    central.push(entry, name);
    offset += local.length + name.length + deflated.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, ...central, end]);
}

const WRITTEN = new Map<string, string>();

/**
 * The path of `archive.zip` for a source whose content hash is `hash`, zipped on first use in
 * this process into `<tmpdir>/cdktf-cloud-run-sources/<hash>/` (written to a temporary name,
 * then renamed, so concurrent synths never see half a file).
 */
export function sourceArchive(directory: string, files: readonly string[], hash: string): string {
  const key = `${hash}\0${directory}`;
  const known = WRITTEN.get(key);
  if (known && fs.existsSync(known)) return known;
  const dir = path.join(os.tmpdir(), "cdktf-cloud-run-sources", hash);
  const file = path.join(dir, "archive.zip");
  fs.mkdirSync(dir, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, zipFiles(directory, files));
  fs.renameSync(partial, file);
  WRITTEN.set(key, file);
  return file;
}
