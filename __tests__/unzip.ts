/** Test helper: reads a ZIP archive's entries (central directory, then each local header). */
import * as zlib from "zlib";

export interface Entry {
  name: string;
  data: string;
  mode: number;
  method: number;
  time: number;
  date: number;
}

/** Reads the central directory and each entry from its local header. */
export function unzip(zip: Buffer): Entry[] {
  const end = zip.length - 22;
  assert(zip.readUInt32LE(end)).toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) {
    assert(zip.readUInt32LE(p)).toBe(0x02014b50);
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const mode = zip.readUInt32LE(p + 38) >>> 16;
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString("utf8", p + 46, p + 46 + nameLength);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + size);
    const data = method === 8 ? zlib.inflateRawSync(raw) : raw;
    assert(zlib.crc32(data)).toBe(zip.readUInt32LE(p + 16));
    out.push({
      name,
      data: data.toString("utf8"),
      mode,
      method,
      time: zip.readUInt16LE(p + 12),
      date: zip.readUInt16LE(p + 14),
    });
    p += 46 + nameLength;
  }
  return out;
}

function assert(value: unknown): { toBe(expected: unknown): void } {
  return {
    toBe(expected: unknown) {
      if (value !== expected)
        throw new Error(`zip: expected ${String(expected)}, got ${String(value)}`);
    },
  };
}
