/**
 * User text is never interpolated: every literal string the library writes reaches Terraform as
 * that literal, while the app's own cdktf tokens (resource attributes, `Fn.*`, variables) stay
 * references.
 *
 * Terraform reads every JSON string in an expression position (and every key of a map value) as
 * a string template: `${…}` is evaluated and `%{…}` is a directive, at plan time, on the machine
 * that runs the plan. cdktf 0.21 passes literal strings through untouched, so a user's
 * `"${file("/etc/passwd")}"` in an env value would be evaluated. Terraform's escapes are `$${`
 * for a literal `${` and `%%{` for a literal `%{` (HCL template syntax, "Escape sequences").
 *
 * The one mechanism: `escapeLiterals(scope)` hooks the synthesis of the scope's stack. While the
 * stack writes its Terraform (JSON, or HCL with `cdktf synth --hcl`), each element's body is
 * walked before cdktf resolves its tokens; in every string (values and map keys) the literal
 * fragments are escaped and the token markers are left in place, so cdktf still turns them into
 * `${…}` references. Validation, checks and `resource.toTerraform()` outside synthesis see the
 * values as written. Every construct of the library calls `escapeLiterals` (the workload base,
 * `IamBinding`, `ArtifactRepository`, `ProjectApis`, and `EnvironmentStack` for the provider's
 * labels and the backend), so a new construct that enables an API or derives from the workload
 * base is covered without doing anything; everything in such a stack is escaped, including
 * resources an app adds with provider classes. An app that needs a Terraform expression passes a
 * token (a resource attribute, `TerraformVariable`, `Fn.*`), never a `"${…}"` string.
 */
import { IConstruct } from "constructs";
import {
  IResolvable,
  IResolveContext,
  LazyBase,
  TerraformElement,
  TerraformStack,
  Token,
  Tokenization,
} from "cdktf";

/** cdktf's marker of a string token (lib/tokens/private/encoding.js, STRING_TOKEN_REGEX). */
const STRING_TOKEN = /\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;
/** cdktf's marker of a number token inside a string (encoding.js, NUMBER_TOKEN_REGEX). */
const NUMBER_TOKEN = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g;

type Part = { readonly text: string; readonly token: boolean };

/** `text` split into literal parts and cdktf token markers (string and number tokens). */
function split(text: string, hcl: boolean): Part[] {
  const parts: Part[] = [];
  let at = 0;
  const marks: Array<[number, number]> = [];
  for (const m of text.matchAll(STRING_TOKEN)) marks.push([m.index, m.index + m[0].length]);
  for (const m of text.matchAll(NUMBER_TOKEN)) {
    const inside = marks.some(([s, e]) => m.index >= s && m.index < e);
    if (!inside && Tokenization.reverseNumber(parseFloat(m[0])) !== undefined)
      marks.push([m.index, m.index + m[0].length]);
  }
  marks.sort((a, b) => a[0] - b[0]);
  for (const [start, end] of marks) {
    if (start > at) parts.push({ text: text.slice(at, start), token: false });
    parts.push({ text: lazyEscaped(text.slice(start, end), hcl), token: true });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), token: false });
  return parts;
}

/**
 * A `Lazy` value is text the app produces at synth (e.g. the list of enabled APIs), not an
 * expression: what it produces is escaped like any other string. References and functions are
 * other token classes and stay expressions.
 */
class EscapedLazy implements IResolvable {
  public readonly creationStack: string[];
  constructor(
    private readonly inner: IResolvable,
    private readonly hcl: boolean,
  ) {
    this.creationStack = inner.creationStack;
  }
  resolve(context: IResolveContext): unknown {
    return escapeTree(this.inner.resolve(context), this.hcl);
  }
  toString(): string {
    return Token.asString(this);
  }
}

/** A string token marker; a `Lazy` one is replaced by the marker of its escaped twin. */
function lazyEscaped(marker: string, hcl: boolean): string {
  if (!marker.startsWith("${TfToken[")) return marker;
  const token = Tokenization.reverseString(marker).firstToken;
  return token instanceof LazyBase ? Token.asString(new EscapedLazy(token, hcl)) : marker;
}

/** A literal string as a Terraform template that evaluates to exactly `text`. */
export function escapeTemplate(text: string): string {
  // Replacement functions: in a replacement string "$$" would mean a single "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/**
 * HCL output (`cdktf synth --hcl`): cdktf's renderer writes strings between quotes without
 * escaping backslashes, leaves quotes unescaped in any string that holds `${`, turns a string with
 * a line break into a heredoc, and writes a string that starts with `[` or `{` as an expression.
 * So in HCL each literal is written with the quoted-string escapes (`\\`, `\"`, `\n`, `\r`) and
 * a leading `[` or `{` as `\u005B` / `\u007B`; the renderer then emits it as one quoted string.
 */
function hclQuoted(text: string): string {
  return text.replace(/[\\"\n\r]/g, (c) => HCL_ESCAPES[c]);
}
const HCL_ESCAPES: Record<string, string> = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r" };

/**
 * `text` with its literal fragments escaped and its cdktf tokens left as they are. A string
 * without tokens gets the plain escapes (`$${`, `%%{`). Beside a token, a literal `$` would join
 * the token's `${` into the escape `$${` (the reference would become text), and cdktf reads a
 * `${` in a string that holds tokens as the start of an expression; so there every literal `$`
 * is written as the interpolation `${"$"}`. `hcl`: escaped for cdktf's HCL renderer as well.
 */
export function escapeString(text: string, hcl = false): string {
  if (!hcl && !text.includes("$") && !text.includes("%{")) return text;
  const parts = split(text, hcl);
  const mixed = parts.some((p) => p.token);
  const out = parts
    .map((p) => {
      if (p.token) return p.text;
      const lit = hcl ? hclQuoted(p.text) : p.text;
      if (!mixed) return escapeTemplate(lit);
      return lit.replace(/%\{/g, () => "%%{").replace(/\$/g, () => '${"$"}');
    })
    .join("");
  if (hcl && !parts[0]?.token && (out.startsWith("[") || out.startsWith("{")))
    return (out.startsWith("[") ? "\\u005B" : "\\u007B") + out.slice(1);
  return out;
}

/**
 * A synthesized body with every string (values and map keys) escaped; `//` comments are kept.
 * `hcl`: the body of `toHclTerraform()`.
 */
export function escapeTree(value: unknown, hcl = false): unknown {
  if (typeof value === "string") return escapeString(value, hcl);
  if (Array.isArray(value)) return value.map((v) => escapeTree(v, hcl));
  if (value === null || typeof value !== "object") return value;
  if (value instanceof LazyBase) return new EscapedLazy(value, hcl);
  // Other tokens (references, functions) resolve to Terraform expressions: kept as they are.
  if (Tokenization.isResolvable(value)) return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    out[escapeString(k, hcl)] = k === "//" ? v : escapeTree(v, hcl);
  return out;
}

/**
 * What Terraform makes of a string the library wrote, for tests and checks: the literal text when
 * the string has no live interpolation or directive (only the escapes `$${`, `%%{` and `${"$"}`),
 * otherwise `undefined`. Follows the HCL template scanner: `$${` and `%%{` are escapes, a `$` or
 * `%` not followed by `{` is literal.
 */
export function unescapeTemplate(text: string): string | undefined {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === "$" || c === "%") && text[i + 1] === "{") {
      if (c === "$" && text.startsWith('${"$"}', i)) {
        out += "$";
        i += 5;
        continue;
      }
      return undefined;
    }
    if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") {
      out += `${c}{`;
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

const HOOKED = new WeakSet<TerraformStack>();
const WRAPPED = new WeakSet<TerraformElement>();

type Synth = () => unknown;

/**
 * Escapes every literal string of the stack that holds `scope` when it is synthesized (JSON and
 * HCL). Idempotent; the constructs call it through prepareStack (core/stack-setup.ts).
 */
export function escapeLiterals(scope: IConstruct): void {
  const stack = TerraformStack.of(scope);
  if (HOOKED.has(stack)) return;
  HOOKED.add(stack);
  let synthesizing = 0;
  const hook = (name: "toTerraform" | "toHclTerraform") => {
    const target = stack as unknown as Record<string, Synth>;
    const original = target[name].bind(stack);
    target[name] = () => {
      for (const node of stack.node.findAll()) {
        if (!TerraformElement.isTerraformElement(node) || WRAPPED.has(node)) continue;
        WRAPPED.add(node);
        const element = node as unknown as Record<string, Synth | undefined>;
        for (const method of ["toTerraform", "toHclTerraform"] as const) {
          const own = element[method]?.bind(node);
          if (!own) continue;
          const hcl = method === "toHclTerraform";
          element[method] = () => (synthesizing > 0 ? escapeTree(own(), hcl) : own());
        }
      }
      synthesizing++;
      try {
        return original();
      } finally {
        synthesizing--;
      }
    };
  };
  hook("toTerraform");
  hook("toHclTerraform");
}
