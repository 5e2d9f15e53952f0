#!/usr/bin/env bash
# Rebuilds models/storefront.json, the model the demo storefront ships with, from the
# project's own synthetic data: generate → features → train, then an evaluation on a
# store generated with another seed. Deterministic: the same commands give the same file
# (apart from its creation time). Run from the repository root after `npm run build`.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
churnkit() { node dist/cli/churnkit.js "$@"; }

# 270 simulated days, cut-off after day 180, 90-day horizon: the demo store holds 180 days
# of history, so the model sees customers with the same span of history it will score.
for seed in 7 8; do
  churnkit generate --customers 20000 --days 270 --seed "$seed" --start 2025-01-01 --out "$work/events-$seed.csv"
  churnkit features --events "$work/events-$seed.csv" --as-of 2025-06-29 --horizon 90d --out "$work/features-$seed.csv"
done
churnkit train --data "$work/features-7.csv" --target churned --id customer_id --model mlp --seed 1 --out models/storefront.json
churnkit eval --model models/storefront.json --data "$work/features-8.csv" --json > models/storefront.eval.json
cat models/storefront.eval.json
