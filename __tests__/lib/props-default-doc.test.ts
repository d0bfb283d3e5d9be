/**
 * Every optional property of an exported interface (or exported object type) in lib/ documents
 * its default with an `@default` tag (eslint-cdk-plugin's require-props-default-doc, as a test):
 * what the construct writes, or, where Google picks, what Google picks. `@default undefined`
 * says nothing and counts as missing. Read with the TypeScript compiler API, no type-check.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const LIB = path.join(__dirname, "..", "..", "lib");

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "dist" && e.name !== "node_modules") out.push(...sources(full));
    } else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(full);
  }
  return out.sort();
}

const exported = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** The text of a tag's comment, whatever shape the compiler gives it. */
function tagText(tag: ts.JSDocTag): string {
  const c = tag.comment;
  if (c === undefined) return "";
  return typeof c === "string" ? c : c.map((p) => p.text).join("");
}

function hasDefault(member: ts.Node): boolean {
  return ts
    .getJSDocTags(member)
    .some((t) => t.tagName.text === "default" && !/^\s*(undefined)?\s*$/.test(tagText(t)));
}

/** `file: Interface.prop` for every optional property without a real `@default`. */
export function missingDefaults(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const visit = (name: string, members: ts.NodeArray<ts.TypeElement>) => {
    for (const m of members) {
      if (!ts.isPropertySignature(m) || !m.questionToken || hasDefault(m)) continue;
      out.push(`${file}: ${name}.${m.name.getText(sf)}`);
    }
  };
  for (const s of sf.statements) {
    if (!exported(s)) continue;
    if (ts.isInterfaceDeclaration(s)) visit(s.name.text, s.members);
    else if (ts.isTypeAliasDeclaration(s) && ts.isTypeLiteralNode(s.type))
      visit(s.name.text, s.type.members);
  }
  return out;
}

describe("the scanner", () => {
  test("finds optional props without @default, or with @default undefined", () => {
    const text = [
      "export interface P {",
      "  /** @default 1 */ readonly a?: number;",
      "  /** no tag */ readonly b?: number;",
      "  /** @default undefined */ readonly c?: number;",
      "  /** @default - Google picks 80 */ readonly d?: number;",
      "  readonly required: number;",
      "}",
      "interface Internal { readonly e?: number }",
      "export type T = { /** @default */ readonly f?: string };",
    ].join("\n");
    expect(missingDefaults("x.ts", text)).toEqual(["x.ts: P.b", "x.ts: P.c", "x.ts: T.f"]);
  });
});

test("every optional exported prop in lib/ has @default", () => {
  const files = sources(LIB);
  expect(files.length).toBeGreaterThan(10);
  const missing = files.flatMap((f) =>
    missingDefaults(path.relative(LIB, f).split(path.sep).join("/"), fs.readFileSync(f, "utf8")),
  );
  expect(missing).toEqual([]);
});
