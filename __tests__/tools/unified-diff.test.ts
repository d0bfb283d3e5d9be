/** unifiedDiff: jsdiff behind the promote diff. */
import { unifiedDiff } from "../../tools/private/unified-diff";

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);

test("prints hunks with three lines of context, as diff -u does", () => {
  const a = ["1", "2", "3", "4", "5", "6", "7", "8"].join("\n") + "\n";
  const b = ["1", "2", "3", "4", "five", "6", "7", "8", "9"].join("\n") + "\n";
  expect(unifiedDiff(a, b, "f.yaml")).toBe(
    [
      "--- a/f.yaml",
      "+++ b/f.yaml",
      "@@ -2,7 +2,8 @@",
      " 2",
      " 3",
      " 4",
      "-5",
      "+five",
      " 6",
      " 7",
      " 8",
      "+9",
      "",
    ].join("\n"),
  );
});

test("is empty for equal texts", () => {
  expect(unifiedDiff("a\n", "a\n", "f")).toBe("");
});

test("a newline added at the end of the file is a hunk, not bare headers", () => {
  expect(unifiedDiff("a\nb", "a\nb\n", "f")).toBe(
    [
      "--- a/f",
      "+++ b/f",
      "@@ -1,2 +1,2 @@",
      " a",
      "-b",
      "\\ No newline at end of file",
      "+b",
      "",
    ].join("\n"),
  );
});

test("a newline removed at the end of the file is a hunk", () => {
  expect(unifiedDiff("a\nb\n", "a\nb", "f").split("\n")).toEqual([
    "--- a/f",
    "+++ b/f",
    "@@ -1,2 +1,2 @@",
    " a",
    "-b",
    "+b",
    "\\ No newline at end of file",
    "",
  ]);
});

test("an absolute name is printed as is", () => {
  expect(unifiedDiff("a\n", "b\n", "/x/f.yaml")).toMatch(
    /^--- \/x\/f\.yaml\n\+\+\+ \/x\/f\.yaml\n/,
  );
});

test("diffs a 5,000-line file with two changes in well under a second", () => {
  const a = numbered(5000);
  const b = [...a];
  b[2499] = "line 2500 changed";
  b.splice(9, 1);
  const started = process.hrtime.bigint();
  const diff = unifiedDiff(`${a.join("\n")}\n`, `${b.join("\n")}\n`, "big.yaml");
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  expect(diff.split("\n").filter((l) => /^[-+][^-+]/.test(l))).toEqual([
    "-line 10",
    "-line 2500",
    "+line 2500 changed",
  ]);
  expect(diff.match(/^@@ .* @@$/gm)).toEqual(["@@ -7,7 +7,6 @@", "@@ -2497,7 +2496,7 @@"]);
  // The LCS table this replaced took about 1 s here (25 million cells).
  expect(ms).toBeLessThan(250);
});
