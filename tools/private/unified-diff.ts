/**
 * A unified diff of two texts (line-based LCS, 3 lines of context), as `diff -u` prints it.
 * Meant for small files such as environment YAML.
 */

type Op = { kind: " " | "-" | "+"; line: string; a: number; b: number };

function lines(text: string): string[] {
  const list = text.split("\n");
  if (list[list.length - 1] === "") list.pop();
  return list;
}

function operations(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: " ", line: a[i++], a: i, b: ++j });
    else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1]))
      ops.push({ kind: "-", line: a[i++], a: i, b: j });
    else ops.push({ kind: "+", line: b[j++], a: i, b: j });
  }
  return ops;
}

/**
 * `--- a/<name>` / `+++ b/<name>` (an absolute name is printed as is) and hunks; the empty
 * string when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, name: string, context = 3): string {
  if (before === after) return "";
  const ops = operations(lines(before), lines(after));
  const changed = ops.map((o, k) => (o.kind !== " " ? k : -1)).filter((k) => k >= 0);
  const [a, b] = name.startsWith("/") ? [name, name] : [`a/${name}`, `b/${name}`];
  const out = [`--- ${a}`, `+++ ${b}`];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k] - context);
    let end = Math.min(ops.length, changed[k] + context + 1);
    while (k + 1 < changed.length && changed[k + 1] - context <= end) {
      k++;
      end = Math.min(ops.length, changed[k] + context + 1);
    }
    k++;
    const hunk = ops.slice(start, end);
    const aLen = hunk.filter((o) => o.kind !== "+").length;
    const bLen = hunk.filter((o) => o.kind !== "-").length;
    const first = ops[start];
    // Line numbers where the hunk starts in each file (1-based; 0 for an empty side).
    const aStart = first.kind === "+" ? first.a + 1 : first.a;
    const bStart = first.kind === "-" ? first.b + 1 : first.b;
    out.push(`@@ -${aLen ? aStart : aStart - 1},${aLen} +${bLen ? bStart : bStart - 1},${bLen} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.line}`);
  }
  return `${out.join("\n")}\n`;
}
