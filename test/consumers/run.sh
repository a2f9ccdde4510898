#!/usr/bin/env bash
# Builds the Python, Java and Go packages of the libraries (tools/bindings/build.js), then runs the
# three consumer projects against them, each installing ours from packages/*/dist only:
#   python/  a venv (made in a scratch folder outside the repository) with the wheels of minio and s3www;
#            it also runs the Python translation of every README and @example snippet of those two
#   java/    Maven, with packages/*/dist/java as the repositories for dev.s3www-eks
#   go/      replace directives pointing at packages/*/dist/go
# Each consumer prints one line of what it checked; the last line counts them.
# Usage: bash test/consumers/run.sh [--no-build] [python|java|go ...]
set -uo pipefail
cd "$(dirname "$0")/../.."
for tool in node python3 java mvn go; do
  command -v "$tool" >/dev/null || { echo "missing prerequisite: $tool (Python 3 with venv, JDK 17, Maven, Go)" >&2; exit 1; }
done
build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
consumers=("$@")
[ ${#consumers[@]} -gt 0 ] || consumers=(python java go)

if [ "$build" = 1 ]; then
  node tools/bindings/build.js || exit 1
fi

cache=$(node -e "console.log(require('./tools/bindings/build.js').cacheDir())")
scratch="$cache/consumers-$$"
mkdir -p "$scratch"
trap 'rm -rf "$scratch"' EXIT
# Nothing in /tmp: the jsii runtimes (node), Java and Go write their temporary files here.
export TMPDIR="$scratch" JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
# The consumers check the template themselves; CDK's CloudFormation validation would only slow them down.
export CDK_VALIDATION=false
standin() { node -e "const s = require('./tools/bindings/build.js').standIns(); console.log($1)"; }

run_python() {
  python3 -m venv "$scratch/venv" &&
    "$scratch/venv/bin/pip" install --quiet --disable-pip-version-check \
      -r test/consumers/python/requirements.txt \
      packages/minio/dist/python/*.whl packages/s3www/dist/python/*.whl &&
    (cd test/consumers/python && "$scratch/venv/bin/python" app.py &&
      "$scratch/venv/bin/python" snippets.py ../../../packages/minio/.jsii.tabl.json ../../../packages/s3www/.jsii.tabl.json)
}

run_java() {
  local repo settings
  repo=$(node -e "console.log(require('./tools/bindings/build.js').mavenRepoLocal())")
  settings=$(standin s.mavenSettings)
  (cd test/consumers/java &&
    MAVEN_OPTS="${MAVEN_OPTS:-} -Djava.io.tmpdir=$scratch" mvn --batch-mode --quiet \
      --global-settings "$settings" -Dmaven.repo.local="$repo" \
      compile exec:exec)
}

run_go() {
  mkdir -p test/consumers/go/.stand-ins
  ln -sfn "$(standin s.go.cdk8s)" test/consumers/go/.stand-ins/cdk8s
  ln -sfn "$(standin s.go.cdk8splus33)" test/consumers/go/.stand-ins/cdk8splus33
  ln -sfn "$(standin s.go.kubectlv36)" test/consumers/go/.stand-ins/kubectlv36
  # go.sum is committed: a run never edits go.mod or go.sum.
  (cd test/consumers/go && GOFLAGS="${GOFLAGS:-} -mod=readonly" go run .)
}

passed=0
failed=0
for consumer in "${consumers[@]}"; do
  started=$(date +%s)
  case "$consumer" in python|java|go) ;; *) echo "unknown consumer $consumer (python, java, go)" >&2; exit 2 ;; esac
  if "run_$consumer"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "$consumer consumer FAILED" >&2
  fi
  echo "  ($consumer consumer: $(($(date +%s) - started)) s)"
done
echo "consumers: ${passed} passed, ${failed} failed"
[ "$failed" = 0 ]
