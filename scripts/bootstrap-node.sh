#!/bin/sh
# Makes sure npm scripts and npx run on Node >= 22.12.
# On an older system Node, brings the official Node build from the npm registry (package
# node-<platform>-<arch>, no install script) into .tools/ and links it as node_modules/.bin/node,
# which npm puts first on the PATH of every script and of npx. On Node >= 22.12 it does nothing.
set -eu
NODE_VERSION=24.21.0
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)' 2>/dev/null; then
  exit 0
fi

case "$(uname -s)" in
  Linux) platform=linux ;;
  Darwin) platform=darwin ;;
  *) echo "bootstrap-node: unsupported OS $(uname -s); install Node >= 22.12 yourself" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "bootstrap-node: unsupported CPU $(uname -m); install Node >= 22.12 yourself" >&2; exit 1 ;;
esac

target=".tools/node-$NODE_VERSION-$platform-$arch"
if [ ! -x "$target/bin/node" ]; then
  echo "bootstrap-node: system Node $(node -v 2>/dev/null || echo none) is too old; fetching Node $NODE_VERSION from the npm registry" >&2
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-$platform-$arch@$NODE_VERSION" >/dev/null)
  mkdir -p "$tmp/x"
  tar -xzf "$tmp"/node-*.tgz -C "$tmp/x"
  mkdir -p .tools
  rm -rf "$target"
  mv "$tmp/x/package" "$target"
fi
mkdir -p node_modules/.bin
ln -sf "../../$target/bin/node" node_modules/.bin/node
echo "bootstrap-node: npm scripts and npx use $(node_modules/.bin/node -v) from $target" >&2
