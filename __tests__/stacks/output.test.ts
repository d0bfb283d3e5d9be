/** Moving a staged synth into place (issue 14 item 9), on plain folders. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { publish, stagingFolder } from "../../stacks/output";

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "output-"));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function put(file: string, text = "x"): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(path.join(root, d), { withFileTypes: true })) {
      const rel = path.posix.join(d, e.name);
      if (e.isDirectory()) walk(rel);
      else out.push(rel);
    }
  };
  walk(dir);
  return out.sort();
}

test("the staging folder is created beside the output folder", () => {
  const staging = stagingFolder(path.join(root, "cdktf.out"));
  expect(path.dirname(staging)).toBe(root);
  expect(path.basename(staging)).toMatch(/^\.cdktf\.out\.staging-/);
});

test("each stack folder is replaced whole; Terraform's files, other stacks and nothing else stay", () => {
  put("out/manifest.json", "old");
  put("out/stacks/dev/cdk.tf", "stale hcl");
  put("out/stacks/dev/cdk.tf.json", "old");
  put("out/stacks/dev/terraform.dev.tfstate", "state");
  put("out/stacks/dev/.terraform.lock.hcl", "lock");
  put("out/stacks/dev/.terraform/providers/p", "plugin");
  put("out/stacks/gone/cdk.tf.json", "other");
  const staging = stagingFolder(path.join(root, "out"));
  const rel = path.relative(root, staging);
  put(`${rel}/manifest.json`, "new");
  put(`${rel}/stacks/dev/cdk.tf.json`, "new");
  put(`${rel}/stacks/dev/assets/a.zip`, "zip");
  put(`${rel}/stacks/prod/cdk.tf.json`, "new");
  publish(staging, path.join(root, "out"));
  expect(tree("out")).toEqual([
    "out/manifest.json",
    "out/stacks/dev/.terraform.lock.hcl",
    "out/stacks/dev/.terraform/providers/p",
    "out/stacks/dev/assets/a.zip",
    "out/stacks/dev/cdk.tf.json",
    "out/stacks/dev/terraform.dev.tfstate",
    "out/stacks/gone/cdk.tf.json",
    "out/stacks/prod/cdk.tf.json",
  ]);
  expect(fs.readFileSync(path.join(root, "out/manifest.json"), "utf8")).toBe("new");
  expect(fs.readFileSync(path.join(root, "out/stacks/dev/terraform.dev.tfstate"), "utf8")).toBe(
    "state",
  );
  expect(fs.existsSync(staging)).toBe(false);
});

test("a first synth creates the output folder", () => {
  const staging = stagingFolder(path.join(root, "new", "cdktf.out"));
  const rel = path.relative(root, staging);
  put(`${rel}/manifest.json`, "m");
  put(`${rel}/stacks/dev/cdk.tf.json`, "j");
  publish(staging, path.join(root, "new", "cdktf.out"));
  expect(tree("new")).toEqual([
    "new/cdktf.out/manifest.json",
    "new/cdktf.out/stacks/dev/cdk.tf.json",
  ]);
});
