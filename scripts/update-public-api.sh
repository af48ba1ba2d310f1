#!/usr/bin/env bash
# Records the current public API of the packable libraries in their PublicAPI.Unshipped.txt:
# adds the symbols the PublicApiAnalyzers report as undeclared (RS0016) and drops the ones
# reported as gone (RS0017). Review the diff: it is the change to the public API.
set -euo pipefail
cd "$(dirname "$0")/.."

for project in CalMiner.Core CalMiner.Data; do
  log=$(mktemp)
  dotnet build "$project" --no-incremental -p:TreatWarningsAsErrors=false 2>&1 > "$log" || true
  python3 - "$project/PublicAPI.Unshipped.txt" "$log" <<'PY'
import re, sys
path, log = sys.argv[1], open(sys.argv[2]).read()
added = set(re.findall(r"RS0016: Symbol '(.+?)' is not part of the declared public API", log))
removed = set(re.findall(r"RS0017: Symbol '(.+?)' is part of the declared API", log))
lines = [l for l in open(path).read().splitlines() if l and not l.startswith("#")]
lines = sorted((set(lines) | added) - removed)
open(path, "w").write("#nullable enable\n" + "".join(l + "\n" for l in lines))
print(f"{path}: +{len(added)} -{len(removed)}")
PY
  rm -f "$log"
done
