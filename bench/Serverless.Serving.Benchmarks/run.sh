#!/usr/bin/env bash
# Serving benchmark, one command, one run on loopback (about 5 minutes): installs Debian's wrk, gunicorn, python3-flask
# and python3-sklearn when missing, builds the local host, then runs the product (local host on Azurite), the tuned
# gunicorn peer and the bare ASP.NET Core + ONNX Runtime limit endpoint with the same wrk settings, batch scoring and
# cold start, and writes the serving section of docs/benchmarks.md. Extra arguments go to the benchmark
# (--batch-only: train, then batch scoring against raw ONNX Runtime only, nothing written; --chunk-profile FILE
# [--repeats R]: one batch chunk in process, parse/score/format/stage medians, with the model and data that a run with
# SERVING_BENCH_KEEP_MODEL=FILE kept;
# --batch-rows N, --seconds S, --profile-only for the load profile: ratios to the limit endpoint, allocations per
# request and top frames under wrk, with dotnet-trace and dotnet-counters installed into a tool path, then the
# in-process stage profile).
set -euo pipefail
cd "$(dirname "$0")/../.."
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[ -x /usr/bin/gunicorn ] || missing+=(gunicorn)
/usr/bin/python3 -c "import flask" 2>/dev/null || missing+=(python3-flask)
/usr/bin/python3 -c "import sklearn" 2>/dev/null || missing+=(python3-sklearn)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}"
fi
if [[ " $* " == *" --profile-only "* ]]; then
  export SERVING_BENCH_TOOLS="${SERVING_BENCH_TOOLS:-${TMPDIR:-/tmp}/serving-bench-tools}"
  for tool in dotnet-trace dotnet-counters; do
    [ -x "$SERVING_BENCH_TOOLS/$tool" ] || dotnet tool install --tool-path "$SERVING_BENCH_TOOLS" "$tool" >/dev/null
  done
fi
dotnet build -c Release Functions/Serverless.Functions.LocalHost -v quiet -nologo -clp:"NoSummary;ErrorsOnly"
dotnet run -c Release --project bench/Serverless.Serving.Benchmarks -- "$(pwd)/docs/benchmarks.md" "$@"
