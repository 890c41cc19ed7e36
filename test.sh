#!/usr/bin/env bash
# The test command: installs what the tests need and is missing (Debian's packages), then runs the whole suite.
# The report tests open report.html in headless Chromium; the data-parallel tests start Open MPI's mpirun.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v mpirun >/dev/null || missing+=(openmpi-bin)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "Installing ${missing[*]} for the tests (apt-get)."
  "${sudo[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}"
fi

dotnet test GradClip.sln -c Release "$@"
