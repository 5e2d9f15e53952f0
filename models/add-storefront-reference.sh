#!/usr/bin/env bash
# Adds the drift reference (decile bins of every input and of the score over the training
# rows, as `churnkit train` now writes it) to models/storefront.json, which predates it,
# without retraining: the weights, version and every figure of the model card stay as they
# are. The training rows are regenerated exactly as build-storefront.sh makes them, and
# scripts/fit-model-reference.ts refuses them unless their SHA-256 is the model's dataHash.
# Run from the repository root after `npm run build`; then `npm run build` again, which embeds
# the updated file (scripts/embed-models.ts).
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
churnkit() { node dist/cli/churnkit.js "$@"; }

churnkit generate --customers 20000 --days 270 --seed 7 --start 2025-01-01 --out "$work/events-7.csv"
churnkit features --events "$work/events-7.csv" --as-of 2025-06-29 --horizon 90d --out "$work/features-7.csv"
node dist/scripts/fit-model-reference.js models/storefront.json "$work/features-7.csv"
