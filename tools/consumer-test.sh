#!/usr/bin/env bash
# The consumer test: the library as another repository installs it.
#
# 1. builds lib/ (tsc → lib/dist) and packs it (npm pack), printing the tarball's file list;
# 2. installs the tarball into a fresh temporary project with its own node_modules, the peer
#    dependencies from the registry at the versions this repository pins;
# 3. type-checks tools/consumer/app.ts there with strict and exactOptionalPropertyTypes (and
#    skipLibCheck off: the package's .d.ts are checked too), compiles and synthesizes it;
# 4. synthesizes the same app in this repository (sources, through the workspace link) and
#    compares the two cdk.tf.json byte for byte.
# Leaves nothing behind. Usage: tools/consumer-test.sh (from anywhere; .ci/run runs it).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export CHECKPOINT_DISABLE=1
# The in-repo source condition must not leak into the consumer project.
unset NODE_OPTIONS
start=$(date +%s)

pin() { node -p "require('./package.json').$1[process.argv[1]]" "$2"; }
CDKTF=$(pin dependencies cdktf)
CONSTRUCTS=$(pin dependencies constructs)
GOOGLE=$(pin dependencies @cdktf/provider-google)
TIME=$(pin dependencies @cdktf/provider-time)
TYPESCRIPT=$(pin devDependencies typescript)
NODE_TYPES=$(pin devDependencies @types/node)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/consumer-test-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "consumer-test: build and pack @cdktf-cloud-run/constructs" >&2
npm run -s build:lib
npm pack -w @cdktf-cloud-run/constructs --pack-destination "$tmp" --json > "$tmp/pack.json"
node -e '
  const [p] = require(process.argv[1]);
  console.log(`tarball ${p.filename}: ${p.entryCount} files, ${(p.size / 1024).toFixed(1)} kB packed, ${(p.unpackedSize / 1024).toFixed(1)} kB unpacked`);
  for (const f of p.files) console.log(`  ${f.path}`);
  const bad = p.files.filter((f) => /(^|\/)(__tests__|tools|fixtures|node_modules)\/|\.test\.ts$|tsbuildinfo|tsconfig/.test(f.path));
  if (bad.length) { console.error(`consumer-test: the tarball holds ${bad.map((f) => f.path).join(", ")}`); process.exit(1); }
' "$tmp/pack.json"
tarball="$tmp/$(node -p 'require(process.argv[1])[0].filename' "$tmp/pack.json")"

echo "consumer-test: fresh project, peers from the registry" >&2
project="$tmp/project"
mkdir -p "$project"
cat > "$project/package.json" <<JSON
{ "name": "consumer", "version": "0.0.0", "private": true }
JSON
cat > "$project/tsconfig.json" <<JSON
{
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2022"],
    "module": "node16",
    "moduleResolution": "node16",
    "types": ["node"],
    "strict": true,
    "exactOptionalPropertyTypes": true,
    "noUncheckedIndexedAccess": true,
    "skipLibCheck": false,
    "outDir": "dist"
  },
  "files": ["app.ts"]
}
JSON
cp tools/consumer/app.ts "$project/app.ts"
(
  cd "$project"
  npm install --no-audit --no-fund --prefer-offline --loglevel=error \
    "$tarball" "cdktf@$CDKTF" "constructs@$CONSTRUCTS" "@cdktf/provider-google@$GOOGLE" \
    "@cdktf/provider-time@$TIME" "typescript@$TYPESCRIPT" "@types/node@$NODE_TYPES"
  test ! -L node_modules/@cdktf-cloud-run/constructs # a copy from the tarball, not a link
  echo "consumer-test: tsc (strict, exactOptionalPropertyTypes, skipLibCheck false)" >&2
  npx --no-install tsc -p tsconfig.json
  echo "consumer-test: synth from the installed package" >&2
  CDKTF_OUTDIR="$tmp/out-consumer" node dist/app.js > /dev/null
)

echo "consumer-test: synth of the same app in the repository" >&2
CDKTF_OUTDIR="$tmp/out-repo" node --conditions=cdktf-cloud-run-source --import tsx \
  tools/consumer/app.ts > /dev/null

a="$tmp/out-repo/stacks/consumer/cdk.tf.json"
b="$tmp/out-consumer/stacks/consumer/cdk.tf.json"
if cmp -s "$a" "$b"; then
  echo "consumer-test: cdk.tf.json identical ($(wc -c < "$a") bytes), $(($(date +%s) - start)) s"
else
  echo "consumer-test: cdk.tf.json differs between the repository and the installed package:" >&2
  diff -u "$a" "$b" | head -40 >&2
  exit 1
fi
