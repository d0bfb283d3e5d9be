/**
 * What goes into a source archive: the files of a directory that gcloud would upload (its
 * `.gcloudignore`, or gcloud's default, see gcloudignore.ts), minus credentials that must never
 * leave the machine whatever the ignore file says (`.env*`, private keys, service-account key
 * files). Symbolic links are followed only inside the directory: a link out of it is skipped
 * (and reported), a dangling or looping link is a problem naming its path.
 */
import * as fs from "fs";
import * as path from "path";
import { IgnoreRule, decidingRule, ignoreRulesFor } from "./gcloudignore";

/** A file to pack. */
export interface SourceFile {
  /** Path inside the archive, `/`-separated. */
  readonly rel: string;
  /** Where its bytes are read from (the link target for a link). */
  readonly abs: string;
  /** Any execute bit set: packed as 0755, otherwise 0644 (umask-independent). */
  readonly executable: boolean;
}

/** A path left out, and why. */
export interface SkippedPath {
  readonly rel: string;
  readonly reason: string;
}

export interface SourceListing {
  readonly files: SourceFile[];
  readonly skipped: SkippedPath[];
  /** Links that point out of the directory: not followed, worth a warning. */
  readonly outsideLinks: SkippedPath[];
}

/** Names that hold credentials by convention: `.env`, `.env.local`, `.envrc` … */
const ENV_FILE = /^\.env/;
/** Key stores and SSH private keys, by name. */
const KEY_FILE = /^(id_(rsa|dsa|ecdsa|ed25519)|.*\.(p12|pfx|jks|keystore))$/;
/** A PEM private key block (PKCS#1, PKCS#8, SEC1, OpenSSH, encrypted). */
const PRIVATE_KEY =
  /^-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----$[\s\S]*?^-----END ((RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----$/m;
/** Files larger than this are not opened to look for keys. */
const SCAN_LIMIT = 1024 * 1024;

/**
 * Why `name` (at `abs`) must never be packed, or `undefined`. Content checks: a PEM private key
 * anywhere in a small text file, and a JSON service-account key (`"type": "service_account"` with
 * a `private_key`, the file `gcloud iam service-accounts keys create` writes).
 */
export function credentialReason(name: string, abs: string, size: number): string | undefined {
  if (ENV_FILE.test(name)) return "environment file (.env*): never packed";
  if (KEY_FILE.test(name)) return "private key store: never packed";
  if (size > SCAN_LIMIT) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(abs, "latin1");
  } catch {
    return undefined;
  }
  if (PRIVATE_KEY.test(text)) return "holds a private key: never packed";
  if (name.endsWith(".json") && text.includes('"private_key"')) {
    try {
      const data = JSON.parse(text) as Record<string, unknown>;
      if (data.type === "service_account" && typeof data.private_key === "string")
        return "service-account key file: never packed";
    } catch {
      // not JSON: nothing to detect
    }
  }
  return undefined;
}

/**
 * Lists what to pack from `root` (an existing directory, absolute), sorted by path. Problems
 * (dangling or looping links, bad include directives) go to `fail`, each naming the path.
 */
export function listSource(root: string, fail: (why: string) => void): SourceListing {
  const rules = ignoreRulesFor(root, fail);
  const realRoot = fs.realpathSync(root);
  const files: SourceFile[] = [];
  const skipped: SkippedPath[] = [];
  const outsideLinks: SkippedPath[] = [];

  const walk = (dir: string, prefix: string, chain: readonly string[]): void => {
    const names = fs.readdirSync(dir).sort(byCodePoint);
    for (const name of names) {
      const full = path.join(dir, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      const lstat = fs.lstatSync(full);
      let stat: fs.Stats | undefined = lstat;
      let real = full;
      let linkProblem: string | undefined;
      if (lstat.isSymbolicLink()) {
        try {
          real = fs.realpathSync(full);
          stat = fs.statSync(real);
        } catch (e) {
          stat = undefined;
          const code = (e as NodeJS.ErrnoException).code;
          const target = safeReadlink(full);
          linkProblem =
            code === "ELOOP"
              ? `the link ${rel} (→ ${target}) loops`
              : `the link ${rel} (→ ${target}) points at nothing (dangling)`;
        }
      }
      const isDir = stat?.isDirectory() ?? false;
      const rule = ignored(rules, rel, isDir);
      if (rule) {
        skipped.push({ rel: isDir ? `${rel}/` : rel, reason: `ignored by ${rule}` });
        continue;
      }
      if (linkProblem || !stat) {
        fail(linkProblem ?? `cannot read ${rel}`);
        continue;
      }
      if (lstat.isSymbolicLink() && !inside(realRoot, real)) {
        const entry = {
          rel,
          reason: `link to ${real}, outside the source directory: not followed`,
        };
        skipped.push(entry);
        outsideLinks.push(entry);
        continue;
      }
      if (stat.isDirectory()) {
        if (chain.includes(real)) {
          fail(`the link ${rel} (→ ${safeReadlink(full)}) loops back to a directory above it`);
          continue;
        }
        walk(full, rel, [...chain, real]);
      } else if (stat.isFile()) {
        const why = credentialReason(name, real, stat.size);
        if (why) skipped.push({ rel, reason: why });
        else files.push({ rel, abs: real, executable: (stat.mode & 0o111) !== 0 });
      } else {
        skipped.push({ rel, reason: "not a regular file (socket, device or pipe)" });
      }
    }
  };
  walk(root, "", [realRoot]);
  return { files, skipped, outsideLinks };
}

function ignored(rules: readonly IgnoreRule[], rel: string, isDir: boolean): string | undefined {
  const rule = decidingRule(rules, rel, isDir);
  return rule && !rule.negate ? `${rule.source} (${rule.pattern})` : undefined;
}

function inside(root: string, real: string): boolean {
  const rel = path.relative(root, real);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function safeReadlink(full: string): string {
  try {
    return fs.readlinkSync(full);
  } catch {
    return "?";
  }
}

/** Byte-order comparison, the same on every machine and locale. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
