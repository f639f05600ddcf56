#!/usr/bin/env bash
# Adds up cargo's and Playwright's counts from a test log into one closing line.
set -euo pipefail
awk '
  /test result: [A-Za-z]+\. [0-9]+ passed; [0-9]+ failed/ {
    for (i = 1; i <= NF; i++) { if ($i ~ /^passed;/) cp += $(i-1); if ($i ~ /^failed;/) cf += $(i-1) }
  }
  /^ +[0-9]+ passed \(/ { ep += $1 }
  /^ +[0-9]+ failed$/ { ef += $1 }
  END {
    printf "cargo: %d passed, %d failed; end to end: %d passed, %d failed\n", cp, cf, ep, ef
    printf "%d passed, %d failed\n", cp + ep, cf + ef
  }
' "$1"
