/**
 * Writes environments/schema.json from the environment schema (stacks/environment.ts, zod), or with
 * --check exits 1 when the checked-in file is not current.
 *
 * Usage: npm run schema [-- --check]
 * Exit codes: 0 written or current; 1 out of date (--check); 64 bad usage.
 */
import * as fs from "fs";
import * as path from "path";
import { environmentJsonSchema } from "../stacks/environment";

const FILE = path.join(__dirname, "..", "environments", "schema.json");

export function renderSchema(): string {
  const schema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://cdktf-cloud-run.example/environment.schema.json",
    title: "cdktf-cloud-run environment",
    ...environmentJsonSchema(),
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

function main(argv: string[]): number {
  if (argv.includes("--help")) {
    process.stdout.write(
      "Usage: npm run schema [-- --check]\nWrites environments/schema.json; --check fails when it is stale.\n",
    );
    return 0;
  }
  const unknown = argv.filter((a) => a !== "--check");
  if (unknown.length > 0) {
    process.stderr.write(`schema: unknown argument ${unknown[0]}; see --help\n`);
    return 64;
  }
  const text = renderSchema();
  if (argv.includes("--check")) {
    const current = fs.existsSync(FILE) ? fs.readFileSync(FILE, "utf8") : "";
    if (current !== text) {
      process.stderr.write(
        "environments/schema.json is out of date: run `npm run schema` and commit it.\n",
      );
      return 1;
    }
    process.stderr.write("environments/schema.json is current.\n");
    return 0;
  }
  fs.writeFileSync(FILE, text);
  process.stderr.write(`wrote ${path.relative(process.cwd(), FILE)}\n`);
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
