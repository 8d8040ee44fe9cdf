#!/usr/bin/env bash
# Publishes one upload request with kcat and waits for its result: upload-stream from the shell.
#
#   examples/kcat/submit-and-wait.sh FILE [PREFIX]
#
# Environment: BOOTSTRAP (default localhost:9092), REQUESTS (upload-requests),
# RESULTS (upload-results), TIMEOUT in seconds (60).
# Prints the result (one line of JSON); exit status 0 SUCCEEDED, 1 FAILED, 2 no result in time.
set -euo pipefail

file=$(realpath "$1") # the path as the processor sees it: same machine or a shared volume
prefix=${2:-tmp}
bootstrap=${BOOTSTRAP:-localhost:9092}
requests=${REQUESTS:-upload-requests}
results=${RESULTS:-upload-results}
timeout=${TIMEOUT:-60}

json_string() { # a JSON string literal: backslashes and quotes escaped
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

id=$(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen)
since_ms=$(($(date +%s) * 1000 - 1000)) # results are newer than this

# One JSON object per record, on one line: kcat -P sends every line as a record of its own.
printf '{"requestId":%s,"filePath":%s,"prefix":%s}\n' \
  "$(json_string "$id")" "$(json_string "$file")" "$(json_string "$prefix")" |
  kcat -P -b "$bootstrap" -t "$requests" -k "$id"

# The result's record key is the requestId. read_committed: only results whose transaction
# committed (librdkafka's default too); that is what the exactly-once promise is about.
deadline=$((SECONDS + timeout))
while ((SECONDS < deadline)); do
  result=$(kcat -C -b "$bootstrap" -t "$results" -X isolation.level=read_committed \
    -o "s@$since_ms" -e -q -f '%k\t%s\n' |
    awk -F'\t' -v id="$id" '$1 == id { sub(/^[^\t]*\t/, ""); print; exit }')
  if [ -n "$result" ]; then
    echo "$result"
    case $result in
      *'"status":"SUCCEEDED"'*) exit 0 ;;
      *) exit 1 ;;
    esac
  fi
  sleep 1
done
echo "no result for request $id within ${timeout}s" >&2
exit 2
