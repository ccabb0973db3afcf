#!/usr/bin/env bash
# Serving benchmark, one run on loopback: installs Debian's wrk, python3-flask and python3-sklearn when missing,
# then runs the product host in-process (Azurite in memory) and writes the serving section of docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
missing=()
command -v wrk >/dev/null || missing+=(wrk)
/usr/bin/python3 -c "import flask" 2>/dev/null || missing+=(python3-flask)
/usr/bin/python3 -c "import sklearn" 2>/dev/null || missing+=(python3-sklearn)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}"
fi
dotnet run -c Release --project bench/Serverless.Serving.Benchmarks -- "$(pwd)/docs/benchmarks.md"
