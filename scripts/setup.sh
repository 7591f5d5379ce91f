#!/usr/bin/env bash
# Installs every Debian 12 package mlpipe needs to build, test and benchmark.
# Idempotent: when every package is already installed it does nothing (no network).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang-format clang-tidy
  # fuzzing (make fuzz): clang 14 and its libFuzzer / sanitizer runtimes
  clang-14 libclang-rt-14-dev
  # libraries
  libssl-dev libboost-dev libboost-math-dev nlohmann-json3-dev libcli11-dev
  libspdlog-dev libfmt-dev
  libxgboost-dev xgboost liblinear-dev libeigen3-dev liblbfgspp-dev libmuparser-dev
  libsqlite3-dev libpqxx-dev postgresql libgit2-dev libzstd-dev libyaml-cpp-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # independent reference values (test and benchmark time only)
  python3 python3-numpy python3-pandas python3-scipy python3-sklearn python3-statsmodels python3-xgboost python3-zstandard
  # the store benchmark's peer (MLflow's SQL through psycopg2)
  python3-psycopg2
  # the deploy test parses the KServe manifests
  python3-yaml
  # promtool checks the servers' /metrics text
  prometheus
  # the serving benchmark: its load generator and its Python peer
  wrk python3-fastapi python3-uvicorn
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
