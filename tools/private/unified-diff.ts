/**
 * A unified diff of two texts, as `diff -u` prints it, computed by jsdiff (`diff` on npm: Myers'
 * O(ND) algorithm, so a small change to a large file is fast). A change of the last line's
 * newline shows as a hunk with `\ No newline at end of file`.
 */
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from "diff";

/**
 * `--- a/<name>` / `+++ b/<name>` (an absolute name is printed as is) and hunks with `context`
 * lines around each change; the empty string when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, name: string, context = 3): string {
  if (before === after) return "";
  const [a, b] = name.startsWith("/") ? [name, name] : [`a/${name}`, `b/${name}`];
  return createTwoFilesPatch(a, b, before, after, undefined, undefined, {
    context,
    headerOptions: FILE_HEADERS_ONLY,
  });
}
