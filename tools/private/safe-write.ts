/**
 * Reading and replacing a user's file without ever leaving it half-written: the new text goes to
 * a temporary file in the same folder (same file system), is flushed, and is renamed over the
 * original (rename(2) is atomic), only when the file still holds what was read. File-system
 * errors become plain ToolErrors naming the file.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ToolError } from "./cli";

const REASONS: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOENT: "no such file or folder",
  EISDIR: "it is a folder",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
  EFBIG: "file too large",
  EBUSY: "the file is busy",
};

/** `cannot write f: permission denied (EACCES)`: the plain message for a file-system error. */
export function fileError(action: "read" | "write", file: string, error: unknown): ToolError {
  const e = error as NodeJS.ErrnoException;
  const code = typeof e?.code === "string" ? e.code : undefined;
  const reason = code
    ? `${REASONS[code] ?? e.message.replace(/^[A-Z]+: /, "").split(",")[0]} (${code})`
    : String(e?.message ?? error);
  return new ToolError(`cannot ${action} ${file}: ${reason}`);
}

/** The file's text; a ToolError naming the file when it cannot be read. */
export function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw fileError("read", file, e);
  }
}

/**
 * Replaces `file` with `text` atomically, refusing when the file no longer holds `expected`
 * (someone edited it since it was read). Keeps the file's permission bits; writes next to the
 * real file when `file` is a symlink, so the link stays.
 */
export function replaceFile(file: string, text: string, expected: string): void {
  let target: string;
  let mode: number;
  try {
    target = fs.realpathSync(file);
    mode = fs.statSync(target).mode & 0o7777;
  } catch (e) {
    throw fileError("write", file, e);
  }
  const changed = () =>
    new ToolError(
      `${file} changed since it was read; nothing written. Run the command again on the current file.`,
    );
  if (readText(file) !== expected) throw changed();
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`,
  );
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, "wx", mode);
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.chmodSync(temp, mode); // openSync's mode is filtered by the umask
    // Checked again right before the rename, to keep the window for a lost edit small.
    if (readText(file) !== expected) throw changed();
    fs.renameSync(temp, target);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw e instanceof ToolError ? e : fileError("write", file, e);
  }
}
